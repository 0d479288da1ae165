import { z } from "zod";
import { ZReceiptStatus, ZReceiptSummary } from "./receipt-view.types.ts";

export const ZListReceiptsInput = z
  .object({
    storeId: z.string().min(1).max(64).optional(),
    terminalId: z.string().min(1).max(64).optional(),
    status: ZReceiptStatus.optional(),
    /** Accepted at or after this instant. */
    from: z.coerce.date().optional(),
    /** Accepted before this instant. */
    to: z.coerce.date().optional(),
    /** Fiscal document number (FD). */
    fdNumber: z.number().int().positive().optional(),
    /**
     * One shift of `terminalId` (its id as the cash page names it): the receipts the till accepted
     * between the shift's opening and its close, the rule cash reconciliation counts by.
     */
    shiftId: z.string().min(1).max(64).optional(),
    cursor: z.string().min(1).max(512).optional(),
    /** Page size; default 25. */
    limit: z.number().int().min(1).max(100).default(25),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: '"from" must be before "to".',
    path: ["to"],
  })
  // Shift ids are a till's own: a shift names nothing without its till.
  .refine((input) => !input.shiftId || input.terminalId, {
    message: "A shift filter needs its till: pass terminalId too.",
    path: ["shiftId"],
  });
export type TListReceiptsInput = z.input<typeof ZListReceiptsInput>;

export const ZListReceiptsOutput = z.object({
  receipts: z.array(ZReceiptSummary),
  /** With a shift filter: the shift the page names (its number and window). */
  shift: z
    .object({ id: z.string(), number: z.number().int(), openedAt: z.date(), closedAt: z.date().nullable() })
    .nullable()
    .optional(),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListReceiptsOutput = z.infer<typeof ZListReceiptsOutput>;
