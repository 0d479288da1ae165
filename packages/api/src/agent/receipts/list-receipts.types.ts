import { z } from "zod";
import { ZIsoDateTime } from "../schemas.ts";
import { ZReceiptStatus } from "./create-receipt.types.ts";
import { ZReceiptView } from "./get-receipt.types.ts";

export const ZListReceiptsInput = z.object({
  status: ZReceiptStatus.optional(),
  /** Accepted at or after. */
  from: ZIsoDateTime.optional(),
  /** Accepted before. */
  to: ZIsoDateTime.optional(),
  limit: z.int().min(1).max(500).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "must be a nextCursor from a previous page")
    .optional(),
});
export type TListReceiptsInput = z.infer<typeof ZListReceiptsInput>;

export const ZListReceiptsOutput = z.object({
  items: z.array(ZReceiptView),
  nextCursor: z.string().nullable(),
});
export type TListReceiptsOutput = z.infer<typeof ZListReceiptsOutput>;
