import { z } from "zod";

/** An item's state in the mirror: pending = still in the till's DLQ; retried / discarded = it left. */
export const ZDlqItemState = z.enum(["pending", "retried", "discarded"]);
export type TDlqItemState = z.infer<typeof ZDlqItemState>;

/**
 * Where support's latest command on an item is: issued (written centrally), delivered (handed to
 * the till in a sync answer), applied (the till acknowledged it) or failed (the till had no such
 * pending item: it was retried or discarded there already).
 */
export const ZDlqCommandState = z.enum(["issued", "delivered", "applied", "failed"]);
export type TDlqCommandState = z.infer<typeof ZDlqCommandState>;

const id = z.string().min(1).max(64);
/** Hours since the item was dead-lettered (first mirrored centrally); a year at most. */
const ageHours = z
  .number()
  .int()
  .min(0)
  .max(24 * 366);

/** The triage filters, shared by the list, the groups and a group action (the URL's query). */
export const ZDlqFilterFields = z.object({
  organizationId: id.optional(),
  storeId: id.optional(),
  terminalId: id.optional(),
  /** The dead item's outbox kind (receipt, shift, cash_movement, …). */
  kind: id.optional(),
  /** The error code: the part of the fingerprint before ':' (VALIDATION_FAILED, OFD_REJECTED, …). */
  errorCode: id.optional(),
  fingerprint: z.string().min(1).max(200).optional(),
  /** Dead-lettered at least this many hours ago. */
  minAgeHours: ageHours.optional(),
  /** Dead-lettered at most this many hours ago. */
  maxAgeHours: ageHours.optional(),
});
export type TDlqFilterFields = z.infer<typeof ZDlqFilterFields>;

/** The age bounds must make a range: "older than 48 h and newer than 24 h" matches nothing. */
export function refineAgeRange(
  filter: { minAgeHours?: number | undefined; maxAgeHours?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  if (
    filter.minAgeHours !== undefined &&
    filter.maxAgeHours !== undefined &&
    filter.minAgeHours > filter.maxAgeHours
  ) {
    ctx.addIssue({
      code: "custom",
      message: "The minimum age must not exceed the maximum age.",
      path: ["maxAgeHours"],
    });
  }
}

/** The state filter of the list and groups: one state, or "all" of them. */
export const ZDlqStateFilter = z.enum(["pending", "retried", "discarded", "all"]);

/** One DLQ item's key: terminal ids are unique fleet-wide, so (terminal, entry id) names it. */
export const ZDlqItemKey = z.object({ terminalId: id, id: z.string().min(1).max(200) });
export type TDlqItemKey = z.infer<typeof ZDlqItemKey>;

/** Support's latest command on an item, with where it is on its way to the till. */
export const ZDlqCommandView = z.object({
  id: z.string(),
  action: z.enum(["retry", "discard"]),
  state: ZDlqCommandState,
  reason: z.string().nullable(),
  issuedBy: z.string(),
  issuedAt: z.date(),
  deliveredAt: z.date().nullable(),
  ackedAt: z.date().nullable(),
});
export type TDlqCommandView = z.infer<typeof ZDlqCommandView>;
