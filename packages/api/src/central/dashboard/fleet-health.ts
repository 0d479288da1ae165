import type { TTerminalStatusData } from "../ingest/ingest-items.types.ts";

/**
 * A fiscal document without OFD confirmation for 30 days makes the FN stop issuing documents
 * (docs/fiscal-reference.md, "30-day rule"). The fleet shows the days left against it and warns
 * from day 25, when there is still time to restore a till's internet connection.
 */
export const FN_OFD_LIMIT_DAYS = 30;
export const FN_OFD_WARN_DAYS = 25;
/** A shift the register closes by force at 24 h: warned about in its last hour. */
export const SHIFT_WARN_MS = 60 * 60 * 1000;
/** Buffer fill that warns (the agent's own warning starts here too). */
export const BUFFER_WARN_PERCENT = 80;
/** Clock skew worth a look: receipts are ordered by the till's HLC, and its clock stamps them. */
export const CLOCK_SKEW_WARN_MS = 2 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a till needs attention, most urgent first; the page words each code in the user's language. */
export const HEALTH_REASONS = [
  "offline",
  "device_disconnected",
  "paper_out",
  "shift_expired",
  "receipts_waiting",
  "receipts_attention",
  "fn_overdue",
  "fn_age_warning",
  "breaker_open",
  "dlq",
  "buffer_filling",
  "shift_expiring",
  "clock_skew",
  "no_status",
] as const;
export type HealthReasonCode = (typeof HEALTH_REASONS)[number];

export interface HealthReason {
  code: HealthReasonCode;
  /** How many (receipts, DLQ items, days, ms of skew) when the code has a figure. */
  count: number | null;
  /** The till's or the register's own words (why receipts wait, which breaker), when there are any. */
  detail: string | null;
}

export type Health = "ok" | "attention" | "offline";

/** Everything the health decision reads, from the snapshot and the central counters. */
export interface HealthInput {
  online: boolean;
  snapshot: TTerminalStatusData | null;
  dlqPending: number;
  receiptsNeedingAttention: number;
  breakers: { destination: string; state: string }[];
  fnOldestUnsentAt: Date | null;
  clockSkewMs: number | null;
}

/** Days since the oldest unsent document, whole days. */
export function fnAgeDays(oldestUnsentAt: Date | null, now: Date): number | null {
  return oldestUnsentAt ? Math.floor((now.getTime() - oldestUnsentAt.getTime()) / DAY_MS) : null;
}

/**
 * One word and its reasons. `offline` wins the word (nothing the till said can be trusted as
 * current), but the reasons still list what it said last; `no_status` alone (an agent that has not
 * sent a snapshot yet) is not a fault.
 */
export function assessHealth(input: HealthInput, now: Date): { health: Health; reasons: HealthReason[] } {
  const reasons: HealthReason[] = [];
  const add = (code: HealthReasonCode, count: number | null = null, detail: string | null = null) =>
    reasons.push({ code, count, detail });
  const s = input.snapshot;
  if (!input.online) add("offline");
  if (!s) add("no_status");
  if (s && !s.device.connected) add("device_disconnected");
  if (s?.device.connected && !s.device.paper) add("paper_out");
  if (s?.device.mode === "shift_expired") add("shift_expired");
  if (s && s.receipts.waitingForDevice > 0) {
    add("receipts_waiting", s.receipts.waitingForDevice, s.receipts.waitingReason?.message ?? null);
  }
  if (input.receiptsNeedingAttention > 0) add("receipts_attention", input.receiptsNeedingAttention);
  const age = fnAgeDays(input.fnOldestUnsentAt, now);
  if (age !== null && age >= FN_OFD_LIMIT_DAYS) add("fn_overdue", age);
  else if (age !== null && age >= FN_OFD_WARN_DAYS) add("fn_age_warning", age);
  const open = input.breakers.filter((b) => b.state !== "closed");
  if (open.length > 0)
    add("breaker_open", open.length, open.map((b) => `${b.destination}: ${b.state}`).join(", "));
  if (input.dlqPending > 0) add("dlq", input.dlqPending);
  if (s && s.bufferFillPercent >= BUFFER_WARN_PERCENT) add("buffer_filling", Math.round(s.bufferFillPercent));
  if (s?.device.shiftOpen && s.device.shiftExpiresAt && s.device.mode !== "shift_expired") {
    const left = Date.parse(s.device.shiftExpiresAt) - now.getTime();
    if (left <= 0) add("shift_expired");
    else if (left <= SHIFT_WARN_MS) add("shift_expiring", Math.ceil(left / 60_000));
  }
  if (input.clockSkewMs !== null && Math.abs(input.clockSkewMs) >= CLOCK_SKEW_WARN_MS) {
    add("clock_skew", input.clockSkewMs);
  }
  reasons.sort((a, b) => HEALTH_REASONS.indexOf(a.code) - HEALTH_REASONS.indexOf(b.code));
  const faults = reasons.filter((r) => r.code !== "offline" && r.code !== "no_status");
  return { health: !input.online ? "offline" : faults.length > 0 ? "attention" : "ok", reasons };
}

/** Fleet order: tills needing attention first (most reasons first), then offline ones, then the rest. */
export function healthRank(health: Health): number {
  return health === "attention" ? 0 : health === "offline" ? 1 : 2;
}
