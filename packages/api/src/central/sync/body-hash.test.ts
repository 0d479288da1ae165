import { describe, expect, it } from "vitest";
import { bodyHash, canonicalJson } from "./body-hash.ts";

describe("canonicalJson", () => {
  it("sorts keys at every level and matches JSON.stringify otherwise", () => {
    const value = { b: [1, { d: "x", c: null }], a: { z: true, y: 1.5 }, u: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"y":1.5,"z":true},"b":[1,{"c":null,"d":"x"}]}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it("hashes the same body the same whatever the key order, and another body differently", () => {
    expect(bodyHash({ a: 1, b: [2] })).toBe(bodyHash({ b: [2], a: 1 }));
    expect(bodyHash({ a: 1, b: [2] })).not.toBe(bodyHash({ a: 1, b: [3] }));
  });
});
