import { describe, expect, it } from "vitest";
import { withOffset } from "./with-offset.ts";

describe("withOffset", () => {
  it("adds the till's offset to the register's zone-less local time", () => {
    const result = withOffset("2026-11-22T10:15:00");
    expect(result).toMatch(/^2026-11-22T10:15:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(result)).toBe(new Date("2026-11-22T10:15:00").getTime());
  });

  it("leaves a time that already has an offset alone", () => {
    expect(withOffset("2026-11-22T10:15:00+03:00")).toBe("2026-11-22T10:15:00+03:00");
    expect(withOffset("2026-11-22T07:15:00.000Z")).toBe("2026-11-22T07:15:00.000Z");
  });
});
