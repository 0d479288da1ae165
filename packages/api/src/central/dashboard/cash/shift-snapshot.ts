import { z } from "zod";

/**
 * A shift as the till's agent syncs it (terminal_records, kind "shift"; the agent's `snapshot` in
 * apps/terminal-agent/src/shift/shift-service.ts). Ingest stores these as-is, so the dashboard reads
 * them through this schema: a snapshot that does not parse is reported as unreadable, never guessed at.
 */
const ZKopecks = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const ZIso = z.iso.datetime({ offset: true });

/** The till's own figures at close (cashSummary): the register-side counters the central sums are checked against. */
export const ZTillCash = z.object({
  openingFloat: ZKopecks,
  cashSales: ZKopecks,
  cashRefunds: ZKopecks,
  cashIn: ZKopecks,
  cashOut: ZKopecks,
  expected: z.number().int(),
});

export const ZShiftSnapshot = z.object({
  number: z.number().int().nonnegative(),
  status: z.enum(["open", "closed"]),
  openedAt: ZIso,
  closedAt: ZIso.nullable().optional(),
  cashierName: z.string().max(256).default(""),
  openingFloat: ZKopecks,
  openFd: z.number().int().nonnegative().nullable().optional(),
  closeFd: z.number().int().nonnegative().nullable().optional(),
  countedCash: ZKopecks.nullable().optional(),
  cash: ZTillCash.nullable().optional(),
});
export type TShiftSnapshot = z.infer<typeof ZShiftSnapshot>;

/** A shift record as read: identity plus its parsed snapshot (null when it did not parse). */
export interface ShiftRecord {
  organizationId: string;
  terminalId: string;
  shiftId: string;
  terminalName: string;
  storeId: string;
  storeName: string;
  timezone: string;
  snapshot: TShiftSnapshot | null;
  /** The stored snapshot's HLC (the till's clock when it was taken: at close, for a closed shift). */
  hlc: string;
}
