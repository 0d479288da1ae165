import type { TFiscalAttributes, TPayment, TReceiptItem } from "@kassa/api/agent";

/**
 * Outbox payloads (JSON) the sync worker delivers. Contract with helper S's worker:
 * - kind `receipt`: `ReceiptPayload`, written in the same transaction that accepts the receipt;
 * - kind `receipt_fiscalized`: `ReceiptFiscalizedPayload`, written when the fiscal attributes are stored;
 * - kind `shift`: the shift's latest snapshot (item id = shift id; a later snapshot replaces an undelivered one);
 * - kind `cash_movement`: one journal entry (item id = movement id);
 * - kind `rum`: `ZRumSample` of @kassa/api/rum, `{metric, value, unit, at, labels}` (see rum.ts);
 * - kind `receipt_attention`: `ReceiptAttentionPayload`, written when the register refused the receipt
 *   for its content (same transaction as the status change);
 * - kind `receipt_voided`: `ReceiptVoidedPayload`, written when support voided such a receipt.
 */
export interface ReceiptPayload {
  terminalId: string;
  receiptId: string;
  idempotencyKey: string;
  /** SHA-256 (hex) of the canonical request body: same key + other body is a conflict everywhere. */
  bodyHash: string;
  seq: number;
  hlc: string;
  kind: "sale" | "refund";
  taxSystem: string;
  cashier: { name: string; inn?: string; cashierId?: string };
  items: (TReceiptItem & { sum: number })[];
  payments: TPayment[];
  /** Kopecks. */
  total: number;
  /** Cash paid, kopecks (before change). */
  cashTotal: number;
  change: number;
  acceptedAt: string;
  shiftId: string;
}

export interface ReceiptFiscalizedPayload {
  terminalId: string;
  receiptId: string;
  fiscal: TFiscalAttributes;
  fiscalizedAt: string;
}

/** The register refused the receipt for its content: it will not print and waits for support. */
export interface ReceiptAttentionPayload {
  terminalId: string;
  receiptId: string;
  /** The register's reason: its kassaCode and message. */
  reason: { kassaCode: string; message: string };
  at: string;
}

/** Support voided a receipt needing attention: who, why, when. No fiscal document exists. */
export interface ReceiptVoidedPayload {
  terminalId: string;
  receiptId: string;
  by: string;
  reason: string;
  at: string;
}
