import { z } from "zod";
import { ZHealthReason, ZTerminalView } from "./terminal-view.types.ts";

export const ZGetTerminalInput = z.object({ terminalId: z.string().min(1).max(64) });
export type TGetTerminalInput = z.infer<typeof ZGetTerminalInput>;

/** One status change of the till (a history row): what it reported and what was wrong then. */
export const ZStatusChange = z.object({
  at: z.date(),
  tillSeesCentral: z.boolean(),
  connected: z.boolean(),
  paper: z.boolean(),
  mode: z.string(),
  shiftOpen: z.boolean(),
  receiptsWaiting: z.number().int(),
  waitingReason: z.string().nullable(),
  receiptsNeedingAttention: z.number().int(),
  dlqPending: z.number().int(),
  breakers: z.object({ central: z.string(), ofd: z.string() }),
  fnUnsentCount: z.number().int().nullable(),
  bufferFillPercent: z.number(),
  reasons: z.array(ZHealthReason),
});

/** A shift as the till synced it (kind `shift`), with its cash figures when closed. */
export const ZTerminalShift = z.object({
  id: z.string(),
  number: z.number().int().nullable(),
  status: z.string(),
  openedAt: z.date().nullable(),
  /** The register's 24 h deadline. */
  expiresAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  cashierName: z.string().nullable(),
  openingFloat: z.bigint().nullable(),
  expectedCash: z.bigint().nullable(),
  countedCash: z.bigint().nullable(),
  /** Counted minus expected (null until counted). */
  variance: z.bigint().nullable(),
});

export const ZTerminalDlqItem = z.object({
  id: z.string(),
  destination: z.string(),
  itemKind: z.string(),
  itemId: z.string(),
  status: z.string(),
  reason: z.string(),
  fingerprint: z.string(),
  attempts: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZBreakerTimelineRow = z.object({
  destination: z.string(),
  at: z.date(),
  from: z.string(),
  to: z.string(),
  cause: z.string(),
  failures: z.number().int(),
});

/** A correction receipt as the till synced it, with its fiscal document once that arrived. */
export const ZTerminalCorrection = z.object({
  id: z.string(),
  /** The corrected settlement's sign (1054): income, income_return, expense, expense_return. */
  kind: z.string(),
  /** 1173: self (own initiative) or instruction (by the tax authority's order). */
  correctionType: z.string(),
  basisDate: z.string().nullable(),
  basisNumber: z.string().nullable(),
  total: z.number().int().nullable(),
  cash: z.number().int().nullable(),
  shiftId: z.string().nullable(),
  acceptedAt: z.date().nullable(),
  fdNumber: z.number().int().nullable(),
  fnNumber: z.string().nullable(),
  fiscalizedAt: z.date().nullable(),
});
export type TTerminalCorrection = z.infer<typeof ZTerminalCorrection>;

export const ZGetTerminalOutput = ZTerminalView.extend({
  receiptsCount: z.number().int().nonnegative(),
  lastReceiptAt: z.date().nullable(),
  /** The window the lists below cover: the last 24 h up to the answer. */
  window: z.object({ from: z.date(), to: z.date() }),
  /** Status changes in the window, oldest first, led by the state in force when it began (if known). */
  history: z.array(ZStatusChange),
  /** The latest shifts, newest first (open ones included). */
  shifts: z.array(ZTerminalShift),
  /** The till's DLQ mirror: pending items first, then the latest settled ones. */
  dlq: z.array(ZTerminalDlqItem),
  /** Breaker transitions in the window, oldest first. */
  breakerTimeline: z.array(ZBreakerTimelineRow),
  /** The latest correction receipts, newest first. */
  corrections: z.array(ZTerminalCorrection),
});
export type TGetTerminalOutput = z.infer<typeof ZGetTerminalOutput>;
