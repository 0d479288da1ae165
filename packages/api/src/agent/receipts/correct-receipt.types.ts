import { z } from "zod";
import { ZRegisterText } from "../../content.ts";
import { ZCashierRef, ZFiscalAttributes, ZIdempotencyKey, ZWaitingReason } from "../schemas.ts";
import { checkReceiptFigures, ZReceiptItems, ZReceiptPayments, ZTaxSystem } from "./create-receipt.types.ts";

/**
 * A correction receipt (FFD 1.2 «кассовый чек коррекции», document type 31): a settlement the shop
 * did not record at the time (or recorded wrong), made on its own initiative or by an order of the
 * tax authority. Items, payments and their figures follow `receipts.create`'s rules.
 */
export const ZCorrectReceiptInput = z
  .object({
    /** Required: a retry with the same key and body returns the same correction, printed once. */
    idempotencyKey: ZIdempotencyKey,
    /** The corrected settlement's calculation sign (tag 1054). */
    kind: z.enum(["income", "income_return", "expense", "expense_return"]),
    /** Tag 1173: `self` = on the shop's own initiative, `instruction` = by the tax authority's order. */
    correctionType: z.enum(["self", "instruction"]),
    /** Tag 1174: the corrected settlement's date (1178) and, by order, the order's number (1179). */
    basis: z.object({
      date: z.iso.date(),
      documentNumber: ZRegisterText(32).optional(),
    }),
    cashier: ZCashierRef.optional(),
    items: ZReceiptItems,
    payments: ZReceiptPayments,
    taxSystem: ZTaxSystem.optional(),
  })
  .superRefine((correction, ctx) => {
    if (correction.correctionType === "instruction" && !correction.basis.documentNumber) {
      ctx.addIssue({
        code: "custom",
        path: ["basis", "documentNumber"],
        message: "a correction by order needs the order's number",
      });
    }
    checkReceiptFigures(correction, ctx);
  });
export type TCorrectReceiptInput = z.infer<typeof ZCorrectReceiptInput>;

/**
 * `fiscalized`: the register made the correction receipt (`fiscal`). `waiting_for_device`: stored,
 * printed later exactly once (the register is busy, out of paper, unreachable: `reason`).
 * `needs_attention`: the register refused it for its content, or its outcome cannot be verified
 * (`reason`); it will not print by itself.
 */
export const ZCorrectReceiptOutput = z.object({
  correctionId: z.string(),
  status: z.enum(["fiscalized", "waiting_for_device", "needs_attention"]),
  total: z.number(),
  fiscal: ZFiscalAttributes.optional(),
  reason: ZWaitingReason.optional(),
});
export type TCorrectReceiptOutput = z.infer<typeof ZCorrectReceiptOutput>;
