import { z } from "zod";

/**
 * accepted = stored by the till, not yet fiscalized; fiscalized = the KKT returned FD/FP;
 * needs_attention = the till's KKT refused it for its content (it will not print; support resolves
 * it on the till); voided = support voided such a receipt (no fiscal document exists).
 */
export const ZReceiptStatus = z.enum(["accepted", "fiscalized", "needs_attention", "voided"]);
export type TReceiptStatus = z.infer<typeof ZReceiptStatus>;

/** One line of the receipts list. Money is bigint kopecks. */
export const ZReceiptSummary = z.object({
  organizationId: z.string(),
  terminalId: z.string(),
  terminalName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  timezone: z.string(),
  id: z.string(),
  kind: z.enum(["sale", "refund"]),
  status: ZReceiptStatus,
  total: z.bigint(),
  cashierName: z.string(),
  fdNumber: z.number().int().nullable(),
  fiscalSign: z.string().nullable(),
  acceptedAt: z.date(),
  fiscalizedAt: z.date().nullable(),
  receivedAt: z.date(),
  /** Why the till's KKT refused it (needs_attention, and kept once voided); null otherwise. */
  attention: z.object({ code: z.string(), message: z.string(), at: z.date() }).nullable(),
  /** Support's void on the till: who, when, why (its audit record); null unless voided. */
  voided: z.object({ at: z.date(), by: z.string(), reason: z.string() }).nullable(),
});
export type TReceiptSummary = z.infer<typeof ZReceiptSummary>;

export const ZReceiptItemView = z.object({
  name: z.string(),
  quantity: z.number(),
  unit: z.string().nullable(),
  /** Null when the stored item carries no readable amount (shown as "—", never as 0). */
  price: z.bigint().nullable(),
  sum: z.bigint().nullable(),
  vat: z.string().nullable(),
});

export const ZPaymentView = z.object({ type: z.string(), amount: z.bigint().nullable() });

export const ZReceiptDetail = ZReceiptSummary.extend({
  idempotencyKey: z.string(),
  hlc: z.string(),
  seq: z.bigint(),
  taxSystem: z.string(),
  cashierInn: z.string().nullable(),
  cashTotal: z.bigint(),
  change: z.bigint(),
  fnNumber: z.string().nullable(),
  shiftNumber: z.number().int().nullable(),
  items: z.array(ZReceiptItemView),
  payments: z.array(ZPaymentView),
  /** The receipt's life so far; a step not reached yet is null. */
  lineage: z.object({
    acceptedAt: z.date(),
    fiscalizedAt: z.date().nullable(),
    receivedCentrallyAt: z.date(),
    /** Inferred from the till's reported FN backlog (ofd-lineage.ts); null while not known. */
    ofdConfirmedAt: z.date().nullable(),
    /** The till's last report of its FN's OFD backlog, shown while the confirmation is not known. */
    ofdBacklog: z
      .object({ unsentCount: z.number().int(), oldestUnsentAt: z.date().nullable(), measuredAt: z.date() })
      .nullable(),
  }),
});
export type TReceiptDetail = z.infer<typeof ZReceiptDetail>;
