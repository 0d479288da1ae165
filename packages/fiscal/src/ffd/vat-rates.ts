/**
 * VAT rates as data. Each rate maps Kassa's id to the FFD tag 1199 code and to the Shtrih-M FF46
 * tax-group byte (two different numberings: see docs/fiscal-reference.md "FF46 tax-group byte").
 * A new rate (the 2026 22 % rate, 5 %/7 % for simplified-tax sellers…) is a row of JSON in the
 * agent's configuration passed to `createVatRateTable`, never a code change.
 */
import { FfdError, UnknownVatRateError } from "./errors.ts";

export interface VatRateRow {
  id: string;
  /** Percent of the net price (20 for 20 % and for 20/120); null = sold without VAT. */
  percent: number | null;
  /** FFD tag 1199 code. */
  ffd1199: number;
  /** Shtrih-M FF46 tax-group byte: which row of the device's tax table applies. */
  shtrihTaxGroup: number;
  description?: string;
}

export interface VatRate extends Readonly<VatRateRow> {
  /** VAT contained in `sum` (kopecks, VAT included), rounded half up to a kopeck. */
  compute(sum: number): number;
}

/**
 * Built-in rates. FFD 1199: 1 = 20 %, 2 = 10 %, 3 = 20/120, 4 = 10/110, 5 = 0 %, 6 = no VAT.
 * FF46 group: 1 = 20 %, 2 = 10 %, 3 = 0 %, 4 = no VAT, 5 = 20/120, 6 = 10/110 (Shtrih-M protocol
 * v1.17, command FF46).
 *
 * UNVERIFIED: the 22 % rate in force from 2026. We assume FFD 1199 codes 11 (22 %) and 12 (22/122)
 * and that the device's tax table row 1 (resp. 5) is reprogrammed from 20 % to 22 % by the vendor's
 * 2026 firmware, so 22 % shares FF46 groups with 20 %. Check against the current FNS FFD appendix
 * and the device's tax table; correct it from configuration (an extra row with the same id
 * replaces the built-in one) without a release.
 */
export const DEFAULT_VAT_RATES: readonly VatRateRow[] = [
  {
    id: "vat22",
    percent: 22,
    ffd1199: 11,
    shtrihTaxGroup: 1,
    description: "VAT 22 % (from 2026, unverified codes)",
  },
  { id: "vat20", percent: 20, ffd1199: 1, shtrihTaxGroup: 1, description: "VAT 20 %" },
  { id: "vat10", percent: 10, ffd1199: 2, shtrihTaxGroup: 2, description: "VAT 10 %" },
  { id: "vat0", percent: 0, ffd1199: 5, shtrihTaxGroup: 3, description: "VAT 0 %" },
  { id: "none", percent: null, ffd1199: 6, shtrihTaxGroup: 4, description: "not subject to VAT" },
  {
    id: "vat22_122",
    percent: 22,
    ffd1199: 12,
    shtrihTaxGroup: 5,
    description: "VAT 22/122, calculated (unverified codes)",
  },
  { id: "vat20_120", percent: 20, ffd1199: 3, shtrihTaxGroup: 5, description: "VAT 20/120, calculated" },
  { id: "vat10_110", percent: 10, ffd1199: 4, shtrihTaxGroup: 6, description: "VAT 10/110, calculated" },
];

export interface VatRateTable {
  /** @throws UnknownVatRateError */
  get(id: string): VatRate;
  has(id: string): boolean;
  list(): VatRate[];
  /** The rate with this FFD 1199 code (reading documents back), or undefined. */
  byFfdCode(code: number): VatRate | undefined;
}

function badRow(index: number, message: string): FfdError {
  return new FfdError(
    "VAT_BAD_RATE",
    `VAT rate row ${index}: ${message}; fix the VAT rate table in the configuration`,
  );
}

function isByte(value: unknown, min: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= 255;
}

/** Validates one row of untrusted data (e.g. parsed JSON). */
export function parseVatRateRow(raw: unknown, index = 0): VatRateRow {
  if (typeof raw !== "object" || raw === null) throw badRow(index, "must be an object");
  const row = raw as Record<string, unknown>;
  const { id, percent, ffd1199, shtrihTaxGroup, description } = row;
  if (typeof id !== "string" || !/^[a-z0-9_]{1,32}$/.test(id)) {
    throw badRow(index, '"id" must be 1–32 characters of a-z, 0-9 and _');
  }
  if (
    percent !== null &&
    (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > 100)
  ) {
    throw badRow(index, `"percent" of "${id}" must be an integer 0–100 or null`);
  }
  if (!isByte(ffd1199, 1)) throw badRow(index, `"ffd1199" of "${id}" must be an integer 1–255`);
  if (!isByte(shtrihTaxGroup, 1)) throw badRow(index, `"shtrihTaxGroup" of "${id}" must be an integer 1–255`);
  if (description !== undefined && typeof description !== "string") {
    throw badRow(index, `"description" of "${id}" must be a string`);
  }
  return description === undefined
    ? { id, percent, ffd1199, shtrihTaxGroup }
    : { id, percent, ffd1199, shtrihTaxGroup, description };
}

function toRate(row: VatRateRow): VatRate {
  const p = row.percent;
  return Object.freeze({
    ...row,
    compute(sum: number): number {
      if (!Number.isSafeInteger(sum))
        throw new TypeError(`"sum" must be an integer number of kopecks, got ${sum}`);
      if (p === null || p === 0) return 0;
      // VAT included in a gross sum: sum × p / (100 + p), half up, in integers (no float drift).
      const sign = sum < 0 ? -1 : 1;
      const d = 100 + p;
      return sign * Math.floor((2 * Math.abs(sum) * p + d) / (2 * d));
    },
  });
}

/**
 * Builds a rate table: the built-in rates plus `extraRates` (untrusted rows, e.g. from JSON
 * config). An extra row with a built-in id replaces it — that is how a wrong assumption about a
 * new rate is corrected in the field.
 * @throws FfdError VAT_BAD_RATE naming the row and field
 */
export function createVatRateTable(
  extraRates: readonly unknown[] = [],
  baseRates: readonly VatRateRow[] = DEFAULT_VAT_RATES,
): VatRateTable {
  const rates = new Map<string, VatRate>();
  for (const row of baseRates) rates.set(row.id, toRate(row));
  const seenExtra = new Set<string>();
  extraRates.forEach((raw, index) => {
    const row = parseVatRateRow(raw, index);
    if (seenExtra.has(row.id)) throw badRow(index, `"${row.id}" appears twice`);
    seenExtra.add(row.id);
    rates.set(row.id, toRate(row));
  });
  const byCode = new Map<number, VatRate>();
  for (const rate of rates.values()) {
    const other = byCode.get(rate.ffd1199);
    if (other) {
      throw new FfdError(
        "VAT_BAD_RATE",
        `VAT rates "${other.id}" and "${rate.id}" both use FFD 1199 code ${rate.ffd1199}; give each rate its own code`,
      );
    }
    byCode.set(rate.ffd1199, rate);
  }
  return {
    get(id) {
      const rate = rates.get(id);
      if (!rate) throw new UnknownVatRateError(id, [...rates.keys()]);
      return rate;
    },
    has: (id) => rates.has(id),
    list: () => [...rates.values()],
    byFfdCode: (code) => byCode.get(code),
  };
}

export const defaultVatRates: VatRateTable = createVatRateTable();

/**
 * A built-in rate by id. Code that honours configured extra rates takes a `VatRateTable` instead.
 * @throws UnknownVatRateError
 */
export function getVatRate(id: string): VatRate {
  return defaultVatRates.get(id);
}
