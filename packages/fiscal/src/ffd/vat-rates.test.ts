import { describe, expect, it } from "vitest";
import { FfdError, UnknownVatRateError } from "./errors.ts";
import { createVatRateTable, DEFAULT_VAT_RATES, getVatRate } from "./vat-rates.ts";

describe("VAT rate table", () => {
  it("maps each built-in rate to its FFD 1199 code and Shtrih-M FF46 tax group", () => {
    const pairs = Object.fromEntries(
      ["vat20", "vat10", "vat0", "none", "vat20_120", "vat10_110"].map((id) => {
        const rate = getVatRate(id);
        return [id, [rate.ffd1199, rate.shtrihTaxGroup]];
      }),
    );
    // FFD 1199 and FF46 numberings differ: 0 % is 1199=5 but FF46 group 3.
    expect(pairs).toEqual({
      vat20: [1, 1],
      vat10: [2, 2],
      vat0: [5, 3],
      none: [6, 4],
      vat20_120: [3, 5],
      vat10_110: [4, 6],
    });
    expect(getVatRate("vat22").percent).toBe(22);
    expect(getVatRate("vat22_122").percent).toBe(22);
  });

  it("computes the VAT contained in a gross sum, half up to a kopeck", () => {
    expect(getVatRate("vat20").compute(12000)).toBe(2000);
    expect(getVatRate("vat20").compute(100)).toBe(17); // 16.67
    expect(getVatRate("vat10").compute(110)).toBe(10);
    expect(getVatRate("vat10").compute(5)).toBe(0); // 0.45
    expect(getVatRate("vat10").compute(6)).toBe(1); // 0.545
    expect(getVatRate("vat22").compute(12200)).toBe(2200);
    expect(getVatRate("vat20_120").compute(12000)).toBe(2000);
    expect(getVatRate("vat0").compute(12000)).toBe(0);
    expect(getVatRate("none").compute(12000)).toBe(0);
    // An exact half rounds up: 3 × 20/120 = 0.5
    expect(getVatRate("vat20").compute(3)).toBe(1);
    expect(() => getVatRate("vat20").compute(1.5)).toThrow(TypeError);
  });

  it("throws a typed error naming the known ids for an unknown rate", () => {
    expect(() => getVatRate("vat18")).toThrow(UnknownVatRateError);
    expect(() => getVatRate("vat18")).toThrow(/vat20.*configuration/);
  });

  it("adds a rate from JSON data without code changes", () => {
    const json = '[{"id":"vat5","percent":5,"ffd1199":7,"shtrihTaxGroup":7,"description":"VAT 5 %"}]';
    const table = createVatRateTable(JSON.parse(json));
    expect(table.get("vat5").compute(10500)).toBe(500);
    expect(table.byFfdCode(7)?.id).toBe("vat5");
    expect(table.get("vat20").ffd1199).toBe(1);
    expect(table.list()).toHaveLength(DEFAULT_VAT_RATES.length + 1);
    // The default table is untouched.
    expect(() => getVatRate("vat5")).toThrow(UnknownVatRateError);
  });

  it("lets configuration correct the unverified 22 % mapping", () => {
    const table = createVatRateTable([{ id: "vat22", percent: 22, ffd1199: 13, shtrihTaxGroup: 7 }]);
    expect(table.get("vat22").ffd1199).toBe(13);
    expect(table.byFfdCode(11)).toBeUndefined();
  });

  it("rejects bad rows with a message naming the row and field", () => {
    const bad = (row: unknown) => () => createVatRateTable([row]);
    expect(bad(null)).toThrow(/row 0: must be an object/);
    expect(bad({ id: "Vat 5", percent: 5, ffd1199: 7, shtrihTaxGroup: 7 })).toThrow(/"id"/);
    expect(bad({ id: "vat5", percent: 5.5, ffd1199: 7, shtrihTaxGroup: 7 })).toThrow(/"percent"/);
    expect(bad({ id: "vat5", percent: 5, ffd1199: 0, shtrihTaxGroup: 7 })).toThrow(/"ffd1199"/);
    expect(bad({ id: "vat5", percent: 5, ffd1199: 7, shtrihTaxGroup: "7" })).toThrow(/"shtrihTaxGroup"/);
    expect(bad({ id: "vat5", percent: 5, ffd1199: 1, shtrihTaxGroup: 7 })).toThrow(
      /both use FFD 1199 code 1/,
    );
    expect(() =>
      createVatRateTable([
        { id: "vat5", percent: 5, ffd1199: 7, shtrihTaxGroup: 7 },
        { id: "vat5", percent: 5, ffd1199: 8, shtrihTaxGroup: 7 },
      ]),
    ).toThrow(FfdError);
  });
});
