import { WEB_VITAL_NAMES, ZWebVital } from "@kassa/api/rum";
import { describe, expect, it } from "vitest";
import type { Metric } from "web-vitals";
import { beaconBody, routeOf } from "./web-vitals-reporter.tsx";

describe("web-vitals reporter", () => {
  it("labels a page view by its route, never by the record it shows", () => {
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/receipts")).toBe("/receipts");
    expect(routeOf("/terminals/t-17")).toBe("/terminals/[id]");
    expect(routeOf("/receipts/t-1/r-9")).toBe("/receipts/[id]/[id]");
    expect(routeOf("/dlq/t%201/x")).toBe("/dlq/[id]/[id]");
  });

  it("sends what ZWebVital accepts: the library's metrics without their performance entries", () => {
    const metrics = WEB_VITAL_NAMES.map(
      (name, i) =>
        ({
          name,
          value: name === "CLS" ? 0.02 : 100 * (i + 1),
          rating: "good",
          delta: 1,
          id: `v5-1700000000000-${i}`,
          navigationType: "navigate",
          entries: [{ name: "huge" }],
        }) as unknown as Metric,
    );
    const body = JSON.parse(beaconBody(metrics, "/cash")) as { page: string; vitals: unknown[] };
    expect(body.page).toBe("/cash");
    expect(body.vitals).toHaveLength(5);
    for (const vital of body.vitals) {
      expect(ZWebVital.parse(vital)).toEqual(vital);
      expect(vital).not.toHaveProperty("entries");
    }
  });
});
