import { describe, expect, it } from "vitest";
import { firingConditions, type TillFacts } from "./rules.ts";
import { DEFAULT_ALERT_THRESHOLDS, effectiveThresholds } from "./thresholds.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const healthy: TillFacts = {
  terminalId: "t1",
  storeId: "s1",
  lastSyncAt: new Date(NOW.getTime() - 10_000),
  clockSkewMs: 40,
  bufferFillPercent: 3,
  fnOldestUnsentAt: null,
  breakersNotClosed: [],
  syncLatencyP95Ms: 900,
  dlqNewInWindow: 0,
};

describe("firingConditions", () => {
  it("a healthy till fires nothing; each figure past its bound fires its rule with value and threshold in the rule's unit", () => {
    expect(firingConditions([healthy], DEFAULT_ALERT_THRESHOLDS, NOW)).toEqual([]);
    const sick: TillFacts = {
      ...healthy,
      lastSyncAt: new Date(NOW.getTime() - 45 * 60_000),
      clockSkewMs: -180_000,
      syncLatencyP95Ms: 301_000,
      breakersNotClosed: [
        { destination: "ofd", since: new Date(NOW.getTime() - 20 * 60_000) },
        { destination: "central", since: null },
      ],
    };
    expect(
      firingConditions([sick], DEFAULT_ALERT_THRESHOLDS, NOW).map((c) => [
        c.rule,
        c.subjectKey,
        c.value,
        c.threshold,
      ]),
    ).toEqual([
      ["till_silent", "t1", 45, 30],
      ["sync_latency", "t1", 301, 300],
      ["breaker_open", "t1:ofd", 20, 15],
      ["clock_skew", "t1", 180, 120],
    ]);
  });
});

describe("effectiveThresholds", () => {
  it("keeps each valid stored field and falls back to the default for the rest, whatever the column holds", () => {
    expect(effectiveThresholds({})).toEqual(DEFAULT_ALERT_THRESHOLDS);
    expect(effectiveThresholds(null)).toEqual(DEFAULT_ALERT_THRESHOLDS);
    expect(effectiveThresholds(["x"])).toEqual(DEFAULT_ALERT_THRESHOLDS);
    expect(effectiveThresholds({ tillSilentMinutes: 90, bufferFillPercent: 400, renamed: 1 })).toEqual({
      ...DEFAULT_ALERT_THRESHOLDS,
      tillSilentMinutes: 90,
    });
  });
});
