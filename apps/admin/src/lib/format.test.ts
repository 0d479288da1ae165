import { describe, expect, it } from "vitest";
import { formatAge, formatInZone, formatKopecks, formatSkew } from "./format.ts";

const nbsp = /[\s\u202f\u00a0]/g;

describe("formatKopecks", () => {
  it("formats kopecks as roubles without floating point", () => {
    expect(formatKopecks(123456n).replace(nbsp, " ")).toBe("1 234,56 ₽");
    expect(formatKopecks(5n).replace(nbsp, " ")).toBe("0,05 ₽");
    expect(formatKopecks(-100n).replace(nbsp, " ")).toBe("−1,00 ₽");
    // Beyond 2^53 a float would round; bigint keeps every kopeck.
    expect(formatKopecks(9007199254740993n).replace(nbsp, "")).toBe("90071992547409,93₽");
    expect(formatKopecks(null)).toBe("—");
  });
});

describe("formatInZone", () => {
  it("shows the instant in the store's timezone", () => {
    const at = new Date("2026-11-22T07:15:03Z");
    expect(formatInZone(at, "Europe/Moscow")).toContain("10:15:03");
    expect(formatInZone(at, "Asia/Vladivostok")).toContain("17:15:03");
  });
});

describe("formatAge and formatSkew", () => {
  it("describes ages and skews", () => {
    const now = new Date("2026-11-22T10:00:00Z");
    expect(formatAge(new Date("2026-11-22T09:55:00Z"), now)).toBe("5 min ago");
    expect(formatAge(null, now)).toBe("never");
    expect(formatSkew(1200)).toBe("+1.2 s");
    expect(formatSkew(-350)).toBe("−350 ms");
  });
});
