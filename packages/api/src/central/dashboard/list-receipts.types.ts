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
    cursor: z.string().min(1).max(512).optional(),
    /** Page size; default 25. */
    limit: z.number().int().min(1).max(100).default(25),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: '"from" must be before "to".',
    path: ["to"],
  });
export type TListReceiptsInput = z.input<typeof ZListReceiptsInput>;

export const ZListReceiptsOutput = z.object({
  receipts: z.array(ZReceiptSummary),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListReceiptsOutput = z.infer<typeof ZListReceiptsOutput>;
