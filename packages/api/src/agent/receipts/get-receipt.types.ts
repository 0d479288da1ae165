import { z } from "zod";
import { ZFiscalAttributes, ZWaitingReason } from "../schemas.ts";
import { ZPayment, ZReceiptItem, ZReceiptStatus } from "./create-receipt.types.ts";

export const ZGetReceiptInput = z.union([
  z.object({ receiptId: z.string().min(1).max(64) }),
  z.object({ idempotencyKey: z.string().min(1).max(64) }),
]);
export type TGetReceiptInput = z.infer<typeof ZGetReceiptInput>;

/** A stored receipt with its status and, once printed, its fiscal attributes. */
export const ZReceiptView = z.object({
  receiptId: z.string(),
  idempotencyKey: z.string(),
  seq: z.number(),
  hlc: z.string(),
  kind: z.enum(["sale", "refund"]),
  status: ZReceiptStatus,
  total: z.number(),
  change: z.number(),
  items: z.array(ZReceiptItem),
  payments: z.array(ZPayment),
  taxSystem: z.string(),
  cashier: z.object({ name: z.string(), inn: z.string().optional() }),
  acceptedAt: z.string(),
  fiscal: ZFiscalAttributes.optional(),
  waitingReason: ZWaitingReason.optional(),
  /** Why the register refused it (status `needs_attention`, and kept once `voided`). */
  attentionReason: ZWaitingReason.optional(),
  /** Who voided it, when and why (status `voided`). */
  voided: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
});
export type TReceiptView = z.infer<typeof ZReceiptView>;
