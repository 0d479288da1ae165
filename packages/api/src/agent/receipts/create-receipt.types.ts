import { z } from "zod";
import { ZCashierRef, ZFiscalAttributes, ZMoney, ZPositiveMoney, ZWaitingReason } from "../schemas.ts";

const MICRO = 1_000_000;

/** A quantity > 0 with at most six decimals (kg, litres): the device carries it as an integer ×10⁶. */
const ZQuantity = z
  .number()
  .positive()
  .max(99_999)
  .refine((q) => Math.abs(q * MICRO - Math.round(q * MICRO)) < 1e-6, "must have at most 6 decimals");

export const ZReceiptItem = z.object({
  name: z.string().trim().min(1).max(128),
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

/** round(price × quantity) computed on integer micro-units, so 0.1 kg × 333 gives 33, not 33.300000000000004. */
export function itemSum(price: number, quantity: number): number {
  return Math.round((price * Math.round(quantity * MICRO)) / MICRO);
}

export const ZCreateReceiptInput = z
  .object({
    idempotencyKey: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . : -"),
    kind: z.enum(["sale", "refund"]),
    cashier: ZCashierRef,
    items: z.array(ZReceiptItem).min(1, "a receipt needs at least one item").max(500),
    payments: z.array(ZPayment).min(1, "a receipt needs at least one payment").max(10),
    taxSystem: z.enum(["osn", "usn_income", "usn_income_outcome", "esn", "patent"]).optional(),
  })
  .superRefine((receipt, ctx) => {
    // The domain rules of agent-api.md, reported per field so the POS can point at the culprit.
    let total = 0;
    for (const item of receipt.items) total += itemSum(item.price, item.quantity);
    let cash = 0;
    let electronic = 0;
    for (const payment of receipt.payments) {
      if (payment.type === "cash") cash += payment.amount;
      else electronic += payment.amount;
    }
    if (total > 1e12) {
      ctx.addIssue({ code: "custom", path: ["items"], message: "the receipt total exceeds 10¹² kopecks" });
    }
    if (cash + electronic < total) {
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
  });
export type TCreateReceiptInput = z.infer<typeof ZCreateReceiptInput>;

export const ZReceiptStatus = z.enum(["accepted", "fiscalizing", "fiscalized", "waiting_for_device"]);
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
});
export type TCreateReceiptOutput = z.infer<typeof ZCreateReceiptOutput>;
