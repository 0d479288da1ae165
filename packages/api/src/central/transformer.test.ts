import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { isPlainJson, wireTransformer } from "./transformer.ts";

const roundTrip = (value: unknown) =>
  wireTransformer.deserialize(JSON.parse(JSON.stringify(wireTransformer.serialize(value))));

describe("wireTransformer", () => {
  it("sends plain JSON as superjson's bare envelope, which plain superjson reads back", () => {
    const batch = {
      terminalId: "t-1",
      leaseToken: null,
      sentAtMs: 1_764_000_000_000,
      items: [
        {
          kind: "receipt",
          id: "r1",
          data: { total: 12_345, lines: [{ name: 'Хлеб, "нарезной"', qty: 1.5 }] },
        },
      ],
      flags: [true, false],
    };
    const wire = wireTransformer.serialize(batch);
    expect(wire).toEqual({ json: batch });
    expect(wire).toEqual(superjson.serialize(batch));
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire)))).toEqual(batch);
  });

  it("keeps superjson for what JSON would change: BigInt money, Dates, −0, NaN, Maps, array holes", () => {
    const at = new Date("2026-12-01T10:00:00.000Z");
    const cases: unknown[] = [
      { total: 123n },
      { at },
      [1, -0],
      { value: Number.NaN },
      { value: Number.POSITIVE_INFINITY },
      new Map([["a", 1]]),
      new Set([1]),
      [1, undefined, 3],
      { nested: { deeper: [{ when: at }] } },
    ];
    for (const value of cases) {
      expect(isPlainJson(value)).toBe(false);
      expect(wireTransformer.serialize(value)).toEqual(superjson.serialize(value));
      expect(roundTrip(value)).toEqual(value);
    }
    expect(roundTrip({ total: -5n, at })).toEqual({ total: -5n, at });
    // A hole is not plain either (superjson sends it as undefined; JSON would make it null).
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case
    const holed = [1, , 3];
    expect(isPlainJson(holed)).toBe(false);
    expect(wireTransformer.serialize(holed)).toEqual(superjson.serialize(holed));
  });

  it("drops an object key holding undefined, as a missing key parses the same", () => {
    expect(isPlainJson({ a: 1, b: undefined })).toBe(true);
    expect(roundTrip({ a: 1, b: undefined })).toEqual({ a: 1 });
  });

  it("refuses class instances and functions as plain JSON", () => {
    class Money {
      kopecks = 1;
    }
    expect(isPlainJson(new Money())).toBe(false);
    expect(isPlainJson({ f: () => 1 })).toBe(false);
    expect(isPlainJson(Object.create(null))).toBe(true);
    expect(isPlainJson(undefined)).toBe(false);
  });
});
