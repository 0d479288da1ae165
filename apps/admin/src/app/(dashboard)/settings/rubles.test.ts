import { describe, expect, it } from "vitest";
import { parseRubles, rublesText } from "./rubles.ts";

describe("the cash tolerance field", () => {
  it("reads roubles as typed in English or Russian, exactly, into kopecks", () => {
    expect(parseRubles("100")).toBe(10_000n);
    expect(parseRubles("99.5")).toBe(9_950n);
    expect(parseRubles("99,50")).toBe(9_950n);
    expect(parseRubles("1 000,01")).toBe(100_001n);
    expect(parseRubles("0")).toBe(0n);
  });

  it("refuses what is not an amount", () => {
    for (const text of ["", "-1", "1.234", "abc", "1e3", "12.3.4"])
      expect(parseRubles(text), text).toBeNull();
  });

  it("shows kopecks back as the same decimal", () => {
    expect(rublesText(10_000n)).toBe("100.00");
    expect(parseRubles(rublesText(9_950n))).toBe(9_950n);
  });
});
