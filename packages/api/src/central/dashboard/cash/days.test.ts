import { describe, expect, it } from "vitest";
import { dayIn } from "./days.ts";

const direct = (timeZone: string, at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    at,
  );

describe("dayIn", () => {
  it("is the zone's calendar day minute by minute across local midnights, quarter-hour offsets and DST included", () => {
    // Kathmandu +5:45, Chatham +13:45/+12:45 (DST ends 2026-04-05), Moscow +3, New York's DST start.
    const cases: [string, string][] = [
      ["Asia/Kathmandu", "2026-11-24T18:00:00Z"],
      ["Pacific/Chatham", "2026-04-04T10:00:00Z"],
      ["Europe/Moscow", "2026-11-24T20:30:00Z"],
      ["America/New_York", "2026-03-08T04:00:00Z"],
    ];
    for (const [zone, start] of cases) {
      for (let minute = 0; minute < 6 * 60; minute++) {
        const at = new Date(Date.parse(start) + minute * 60_000 + 17_000);
        expect(dayIn(zone, at), `${zone} ${at.toISOString()}`).toBe(direct(zone, at));
        expect(dayIn(zone, at)).toBe(direct(zone, at)); // the remembered answer too
      }
    }
  });

  it("counts an unknown zone as UTC", () => {
    expect(dayIn("Mars/Olympus", new Date("2026-11-24T23:59:00Z"))).toBe("2026-11-24");
  });
});
