import { z } from "zod";
import { ZReceiptDetail } from "./receipt-view.types.ts";

export const ZGetReceiptInput = z.object({
  terminalId: z.string().min(1).max(64),
  receiptId: z.string().min(1).max(64),
});
export type TGetReceiptInput = z.infer<typeof ZGetReceiptInput>;

export const ZGetReceiptOutput = ZReceiptDetail;
export type TGetReceiptOutput = z.infer<typeof ZGetReceiptOutput>;
