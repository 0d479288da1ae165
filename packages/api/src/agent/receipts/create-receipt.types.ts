import {
  isReceiptMoney,
  lineSum,
  MAX_RECEIPT_DOCUMENT_BYTES,
  MAX_RECEIPT_MONEY,
  quantityUnits,
  receiptDocumentBytes,
  TEXT_LIMITS,
} from "@kassa/fiscal/ffd";
import { z } from "zod";
import { ZQuantity, ZRegisterText } from "../../content.ts";
import {
  ZCashierRef,
  ZFiscalAttributes,
  ZIdempotencyKey,
  ZMoney,
  ZPositiveMoney,
  ZWaitingReason,
} from "../schemas.ts";

/** One receipt line as the POS sends it; its sum is `lineSum(price, quantity)`. */
export const ZReceiptItem = z.object({
  name: ZRegisterText(TEXT_LIMITS.itemName),
  price: ZMoney,
  quantity: ZQuantity,
  unit: z.enum(["pcs", "kg", "l", "other"]).default("pcs"),
  /** A VAT rate id from the terminal's rate table (`vat20`, `vat22`, `none`…); rates are data. */
  vat: z.string().regex(/^[a-z0-9_]{1,32}$/, "must be a VAT rate id such as vat20 or none"),
  subject: z.enum(["goods", "excise", "job", "service", "payment", "another"]).default("goods"),
  paymentMethod: z
    .enum([
      "full_prepayment",
      "prepayment",
      "advance",
      "full_payment",
      "partial_payment",
      "credit",
      "credit_payment",
    ])
    .default("full_payment"),
});
export type TReceiptItem = z.infer<typeof ZReceiptItem>;

export const ZPayment = z.object({ type: z.enum(["cash", "electronic"]), amount: ZPositiveMoney });
export type TPayment = z.infer<typeof ZPayment>;

/**
 * The figures rules of docs/agent-api.md, shared by the agent and central ingest and reported per field so
 * the POS can point at the culprit: every line sum and the total fit the register's money (≤ 10¹²),
 * payments cover the total, their sum fits too, and only cash may exceed the total (the change).
 */
export function checkReceiptFigures(
  receipt: {
    items: readonly { name: string; price: number; quantity: number }[];
    payments: readonly { type: string; amount: number }[];
  },
  ctx: z.RefinementCtx,
): number {
  // A line whose price or quantity failed its own check has no sum: its field error says why.
  if (!receipt.items.every((item) => isReceiptMoney(item.price) && quantityUnits(item.quantity) !== null))
    return 0;
  let total = 0;
  let linesFit = true;
  receipt.items.forEach((item, index) => {
    const sum = lineSum(item.price, item.quantity);
    if (sum > MAX_RECEIPT_MONEY) {
      linesFit = false;
      ctx.addIssue({
        code: "custom",
        path: ["items", index, "quantity"],
        message: `price × quantity (${sum}) exceeds 10¹² kopecks`,
      });
    }
    total += sum;
  });
  if (!linesFit) return total;
  // The FN hands a document out through 16-bit lengths (FF3A, the OFD message): a larger one would
  // print but never reach the OFD, and the FN blocks after 30 days (docs/content-rules.md, Counts).
  const documentBytes = receiptDocumentBytes(receipt.items);
  if (documentBytes > MAX_RECEIPT_DOCUMENT_BYTES) {
    ctx.addIssue({
      code: "custom",
      path: ["items"],
      message: `the receipt's fiscal document would take up to ${documentBytes} bytes; the fiscal drive takes at most ${MAX_RECEIPT_DOCUMENT_BYTES}: split the sale or shorten the item names`,
    });
    return total;
  }
  if (total > MAX_RECEIPT_MONEY) {
    ctx.addIssue({
      code: "custom",
      path: ["items"],
      message: `the receipt total (${total}) exceeds 10¹² kopecks`,
    });
    return total;
  }
  if (total === 0) {
    // Shtrih-M error 0x8E "zero receipt total": the register closes no receipt without a sum.
    ctx.addIssue({
      code: "custom",
      path: ["items"],
      message: "the receipt total is 0: a receipt needs a sum to print",
    });
    return total;
  }
  let cash = 0;
  let electronic = 0;
  for (const payment of receipt.payments) {
    if (payment.type === "cash") cash += payment.amount;
    else electronic += payment.amount;
  }
  if (cash + electronic > MAX_RECEIPT_MONEY) {
    ctx.addIssue({
      code: "custom",
      path: ["payments"],
      message: `payments (${cash + electronic}) exceed 10¹² kopecks`,
    });
  } else if (cash + electronic < total) {
    ctx.addIssue({
      code: "custom",
      path: ["payments"],
      message: `payments (${cash + electronic}) do not cover the total (${total})`,
    });
  } else if (electronic > total) {
    ctx.addIssue({
      code: "custom",
      path: ["payments"],
      message: `electronic payments (${electronic}) exceed the total (${total}): only cash may give change`,
    });
  }
  return total;
}

export const ZReceiptKind = z.enum(["sale", "refund"]);
export const ZTaxSystem = z.enum(["osn", "usn_income", "usn_income_outcome", "esn", "patent"]);
/** Lines per receipt: far above any basket, and a receipt's FFD document stays within the FN's limits. */
export const MAX_RECEIPT_LINES = 500;
export const ZReceiptItems = z
  .array(ZReceiptItem)
  .min(1, "a receipt needs at least one item")
  .max(MAX_RECEIPT_LINES);
export const ZReceiptPayments = z.array(ZPayment).min(1, "a receipt needs at least one payment").max(10);

export const ZCreateReceiptInput = z
  .object({
    idempotencyKey: ZIdempotencyKey,
    kind: ZReceiptKind,
    cashier: ZCashierRef,
    items: ZReceiptItems,
    payments: ZReceiptPayments,
    taxSystem: ZTaxSystem.optional(),
  })
  .superRefine((receipt, ctx) => {
    checkReceiptFigures(receipt, ctx);
  });
export type TCreateReceiptInput = z.infer<typeof ZCreateReceiptInput>;

/**
 * `needs_attention`: the register refused this receipt for its content (never for its own state);
 * it will not print, the receipts after it go on, and support resolves it (`receipts.void`).
 * `voided`: support voided a receipt needing attention; it has no fiscal document.
 */
export const ZReceiptStatus = z.enum([
  "accepted",
  "fiscalizing",
  "fiscalized",
  "waiting_for_device",
  "needs_attention",
  "voided",
]);
export type TReceiptStatus = z.infer<typeof ZReceiptStatus>;

export const ZCreateReceiptOutput = z.object({
  receiptId: z.string(),
  status: ZReceiptStatus,
  total: z.number(),
  change: z.number(),
  seq: z.number(),
  hlc: z.string(),
  fiscal: ZFiscalAttributes.optional(),
  waitingReason: ZWaitingReason.optional(),
  /** With `needs_attention`: the register's reason (kassaCode, message); the sale is not fiscal. */
  attentionReason: ZWaitingReason.optional(),
});
export type TCreateReceiptOutput = z.infer<typeof ZCreateReceiptOutput>;
