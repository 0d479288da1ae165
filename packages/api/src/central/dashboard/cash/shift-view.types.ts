import { z } from "zod";

/** Money is bigint kopecks end to end (superjson carries BigInt to the page). */
const ZKopecks = z.bigint();

export const ZReconciliationState = z.enum([
  "open",
  "not_counted",
  "within_tolerance",
  "needs_approval",
  "approved",
]);
export type TReconciliationState = z.infer<typeof ZReconciliationState>;

export const ZMissing = z.object({
  /** Runs of the till's receipt seq not received, up to this shift's last stored receipt (first 20). */
  receiptSeqs: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
  missingReceipts: z.number().int().nonnegative(),
  /** Fiscal documents between the shift's opening report and its Z report not stored as receipts. */
  fiscalDocuments: z.number().int().nonnegative(),
  /** The till's own closing totals minus what is stored (kopecks not here yet). */
  cashSales: ZKopecks,
  cashRefunds: ZKopecks,
  cashIn: ZKopecks,
  cashOut: ZKopecks,
});
export type TMissing = z.infer<typeof ZMissing>;

export const ZApprovalView = z.object({
  id: z.string(),
  expected: ZKopecks,
  counted: ZKopecks,
  variance: ZKopecks,
  tolerance: ZKopecks,
  note: z.string(),
  approvedBy: z.string(),
  approvedByName: z.string(),
  role: z.string(),
  approvedAt: z.date(),
});
export type TApprovalView = z.infer<typeof ZApprovalView>;

export const ZShiftReconciliation = z.object({
  organizationId: z.string(),
  terminalId: z.string(),
  terminalName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  timezone: z.string(),
  shiftId: z.string(),
  number: z.number().int(),
  /** The store-local day the shift opened. */
  day: z.string(),
  openedAt: z.date(),
  closedAt: z.date().nullable(),
  cashierName: z.string(),
  openingFloat: ZKopecks,
  cashSales: ZKopecks,
  cashRefunds: ZKopecks,
  cashIn: ZKopecks,
  cashOut: ZKopecks,
  /** opening float + cash sales − cash refunds + cash in − cash out, from what the central server holds. */
  expected: ZKopecks,
  /** What the till computed at close (null for an open shift or an old agent). */
  tillExpected: ZKopecks.nullable(),
  counted: ZKopecks.nullable(),
  /** counted − expected; null while open or when not counted. */
  variance: ZKopecks.nullable(),
  tolerance: ZKopecks,
  state: ZReconciliationState,
  /** Not every receipt / cash movement of the shift has reached the central server: figures may change. */
  provisional: z.boolean(),
  missing: ZMissing,
  receipts: z.number().int(),
  voidedReceipts: z.number().int(),
  /** The latest approval, whether or not it still holds (state says). */
  approval: ZApprovalView.nullable(),
});
export type TShiftReconciliation = z.infer<typeof ZShiftReconciliation>;
