import { describe, expect, it } from "vitest";
import { compareText } from "../compare-text.ts";
import { textRanks } from "./text-rank.ts";

describe("textRanks", () => {
  it("orders by rank exactly as compareText orders the texts, equal texts sharing a rank", () => {
    const names = [
      "Till 10",
      "till 2",
      "Ёлка",
      "Елка",
      "A2 Nevsky",
      "a2 nevsky",
      "Till 10",
      "Zeta",
      "2026-11-24",
      "2026-11-03",
    ];
    const ranks = textRanks(names);
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(ranks.get(a)! - ranks.get(b)!)).toBe(Math.sign(compareText(a, b)));
      }
    }
    expect(ranks.get("Till 10")).toBe(ranks.get("Till 10"));
    expect(new Set(ranks.values()).size).toBeLessThanOrEqual(new Set(names).size);
  });
});
