import { TEXT_LIMITS } from "@kassa/fiscal/ffd";
import { z } from "zod";
import { ZRegisterText } from "../content.ts";

export { ZMoney, ZPositiveMoney } from "../content.ts";

/** A client-chosen idempotency key (docs/agent-api.md): 1–64 characters of `[A-Za-z0-9_.:-]`. */
export const ZIdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . : -");

/** A cashier by name (FFD tag 1021, at most 64 characters) and optional INN (tag 1203). */
export const ZCashierByName = z.object({
  name: ZRegisterText(TEXT_LIMITS.cashierName),
  inn: z
    .string()
    .regex(/^(\d{10}|\d{12})$/, "must be 10 or 12 digits")
    .optional(),
});

/** A cashier by session token from `auth.login`. */
export const ZCashierSession = z.object({ session: z.string().min(16).max(128) });

export const ZCashierRef = z.union([ZCashierSession, ZCashierByName]);
export type TCashierRef = z.infer<typeof ZCashierRef>;

export const ZFiscalAttributes = z.object({
  fdNumber: z.number(),
  fiscalSign: z.string(),
  fnNumber: z.string(),
  shiftNumber: z.number(),
  dateTime: z.string(),
});
export type TFiscalAttributes = z.infer<typeof ZFiscalAttributes>;

/** Why a receipt or the device waits, in words a cashier can act on. */
export const ZWaitingReason = z.object({ kassaCode: z.string(), message: z.string() });
export type TWaitingReason = z.infer<typeof ZWaitingReason>;

/** ISO-8601 with offset, as in docs/agent-api.md. */
export const ZIsoDateTime = z.iso.datetime({ offset: true });
