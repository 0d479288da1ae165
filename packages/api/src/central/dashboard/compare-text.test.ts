import { describe, expect, it } from "vitest";
import { compareText } from "./compare-text.ts";

describe("compareText", () => {
  it("orders exactly as localeCompare: Latin and Cyrillic names, digits, case, ULIDs, ISO days", () => {
    const words = [
      "Магазин 2",
      "магазин 10",
      "Store 01",
      "store 1",
      "Ёлка",
      "Елка",
      "01M8RJJD7VEFYTNA7JXYYMT5NR",
      "01M8RJJD7V0HCY8JTBXNNVNA07",
      "2026-11-24",
      "2026-11-03",
      "",
    ];
    const sign = (n: number) => Math.sign(n);
    for (const a of words)
      for (const b of words) expect(sign(compareText(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
  });
});
