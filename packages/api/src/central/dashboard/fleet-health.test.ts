import { describe, expect, it } from "vitest";
import { sampleTerminalStatus } from "../sync/sample-terminal-status.ts";
import { assessHealth, type HealthInput } from "./fleet-health.ts";

const now = new Date("2026-11-24T09:00:00Z");
const DAY = 86_400_000;
const healthy: HealthInput = {
  online: true,
  snapshot: sampleTerminalStatus(now.getTime() - 5_000),
  dlqPending: 0,
  receiptsNeedingAttention: 0,
  breakers: [
    { destination: "central", state: "closed" },
    { destination: "ofd", state: "closed" },
  ],
  fnOldestUnsentAt: null,
  clockSkewMs: 0,
};
const codes = (input: Partial<HealthInput>) => {
  const { health, reasons } = assessHealth({ ...healthy, ...input }, now);
  return [health, reasons.map((r) => r.code)];
};

describe("assessHealth", () => {
  it("a healthy till is ok with no reasons", () => {
    expect(codes({})).toEqual(["ok", []]);
  });

  it("names each fault, most urgent first", () => {
    const snapshot = sampleTerminalStatus(now.getTime(), {
      device: { paper: false },
      bufferFillPercent: 85,
      receipts: { waitingForDevice: 3, waitingReason: { kassaCode: "PAPER_OUT", message: "load paper" } },
    });
    expect(codes({ snapshot, dlqPending: 2, receiptsNeedingAttention: 1, clockSkewMs: -180_000 })).toEqual([
      "attention",
      ["paper_out", "receipts_waiting", "receipts_attention", "dlq", "buffer_filling", "clock_skew"],
    ]);
  });

  it("a disconnected register is not also out of paper", () => {
    const snapshot = sampleTerminalStatus(now.getTime(), { device: { connected: false, paper: false } });
    expect(codes({ snapshot })).toEqual(["attention", ["device_disconnected"]]);
  });

  it("warns about the FN's oldest unsent document from 25 days and calls it overdue from 30", () => {
    expect(codes({ fnOldestUnsentAt: new Date(now.getTime() - 24.9 * DAY) })).toEqual(["ok", []]);
    expect(codes({ fnOldestUnsentAt: new Date(now.getTime() - 25 * DAY) })).toEqual([
      "attention",
      ["fn_age_warning"],
    ]);
    expect(codes({ fnOldestUnsentAt: new Date(now.getTime() - 30 * DAY) })).toEqual([
      "attention",
      ["fn_overdue"],
    ]);
  });

  it("the shift's 24 h deadline: expiring in its last hour, expired after it", () => {
    const at = (ms: number) =>
      sampleTerminalStatus(now.getTime(), {
        device: { shiftExpiresAt: new Date(now.getTime() + ms).toISOString() },
      });
    expect(codes({ snapshot: at(61 * 60_000) })).toEqual(["ok", []]);
    expect(codes({ snapshot: at(30 * 60_000) })).toEqual(["attention", ["shift_expiring"]]);
    expect(codes({ snapshot: at(-1) })).toEqual(["attention", ["shift_expired"]]);
  });

  it("an open or half-open breaker needs attention", () => {
    const breakers = [
      { destination: "central", state: "closed" },
      { destination: "ofd", state: "half_open" },
    ];
    const { reasons } = assessHealth({ ...healthy, breakers }, now);
    expect(reasons).toEqual([{ code: "breaker_open", count: 1, detail: "ofd: half_open" }]);
  });

  it("offline wins the word; a till that never sent a snapshot is not a fault", () => {
    expect(codes({ online: false, dlqPending: 1 })).toEqual(["offline", ["offline", "dlq"]]);
    expect(codes({ snapshot: null })).toEqual(["ok", ["no_status"]]);
  });
});
