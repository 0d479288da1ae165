import { z } from "zod";
import { HEALTH_REASONS } from "./fleet-health.ts";

export const ZHealthReason = z.object({
  code: z.enum(HEALTH_REASONS),
  /** The figure that goes with it (receipts, DLQ items, days, minutes left, ms of skew), if any. */
  count: z.number().nullable(),
  /** The till's own words (why receipts wait, which breaker is open), if any. */
  detail: z.string().nullable(),
});
export type THealthReason = z.infer<typeof ZHealthReason>;

export const ZTillDevice = z.object({
  connected: z.boolean(),
  /** The register's mode (idle, shift_open, shift_expired, …; unknown when it did not answer). */
  mode: z.string(),
  paper: z.boolean(),
  shiftOpen: z.boolean(),
  /** The open shift's 24 h deadline. */
  shiftExpiresAt: z.date().nullable(),
});

export const ZTillBreaker = z.object({
  destination: z.string(),
  state: z.string(),
  /** The latest transition's time and cause; null when the till never reported one (closed since start). */
  since: z.date().nullable(),
  cause: z.string().nullable(),
});

/** How a till appears on Fleet and at the top of its terminal page: what it said last, and what is wrong. */
export const ZTerminalView = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  status: z.enum(["active", "retired"]),
  store: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  /** Synced within ONLINE_WINDOW_MS of now. */
  online: z.boolean(),
  /** Since when: the start of its current run of syncs, or (offline) its last sync. */
  onlineSince: z.date().nullable(),
  offlineSince: z.date().nullable(),
  lastSyncAt: z.date().nullable(),
  /** Till clock minus server clock at the last sync, ms (positive = till ahead). */
  clockSkewMs: z.number().int().nullable(),
  /** When the till measured its last status snapshot (null: it has sent none yet). */
  statusAt: z.date().nullable(),
  /** Whether the till itself reached the central server at its last snapshot. */
  tillSeesCentral: z.boolean().nullable(),
  /** Outbox items not yet delivered, and the buffer's fill, as the till last reported. */
  pending: z.number().int().nonnegative().nullable(),
  bufferFillPercent: z.number().nullable(),
  /** Dead-letter items waiting for support (the central mirror of the till's DLQ; a counter). */
  dlqPending: z.number().int().nonnegative(),
  /** Receipts the till's KKT refused for their content, waiting for support to void them on the till. */
  receiptsNeedingAttention: z.number().int().nonnegative(),
  /** Receipts waiting for the register (paper, cable, shift), and why, as the till last reported. */
  receiptsWaiting: z.number().int().nonnegative().nullable(),
  waitingReason: z.object({ kassaCode: z.string(), message: z.string() }).nullable(),
  device: ZTillDevice.nullable(),
  /** Each destination's circuit breaker (central, ofd). */
  breakers: z.array(ZTillBreaker),
  /** The fiscal drive's backlog of documents not yet confirmed by the OFD, as last reported. */
  fn: z.object({
    unsentCount: z.number().int().nullable(),
    oldestUnsentAt: z.date().nullable(),
    /** Whole days the oldest one has waited. */
    ageDays: z.number().int().nullable(),
    /** Days left before the oldest unsent document hits the 30-day limit (negative = overdue). */
    daysLeft: z.number().int().nullable(),
    /** `warn` from 25 days, `overdue` from 30. */
    level: z.enum(["ok", "warn", "overdue"]).nullable(),
    measuredAt: z.date().nullable(),
  }),
  register: z.object({
    model: z.string().nullable(),
    fnNumber: z.string().nullable(),
    firmware: z.string().nullable(),
    /** shtrih | atol; null from agents that predate the field. */
    family: z.enum(["shtrih", "atol"]).nullable(),
  }),
  /**
   * One word: `offline` (no sync within the window), `attention` (any reason but offline and
   * no_status), otherwise `ok`; `reasons` says why, most urgent first.
   */
  health: z.enum(["ok", "attention", "offline"]),
  reasons: z.array(ZHealthReason),
});
export type TTerminalView = z.infer<typeof ZTerminalView>;
