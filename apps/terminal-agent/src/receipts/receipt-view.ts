import type { TFiscalAttributes, TReceiptStatus, TReceiptView } from "@kassa/api/agent";
import type { ReceiptRow } from "../db/receipt-rows.ts";
import type { ReceiptPayload } from "./payloads.ts";

/** A stored row with the columns of a receipt support voided (agent migration 20261123100000). */
export type StoredReceiptRow = ReceiptRow & {
  voided_at?: string | null;
  voided_by?: string | null;
  void_reason?: string | null;
};

/**
 * A stored row as the local API shows it; `inFlight` marks the receipt the device is printing now,
 * `unstored` the fiscal attributes of a receipt printed whose write is still being retried.
 */
export function receiptView(
  row: StoredReceiptRow,
  inFlight: boolean,
  unstored?: TFiscalAttributes,
): TReceiptView {
  const body = JSON.parse(row.body) as ReceiptPayload;
  const status: TReceiptStatus = unstored
    ? "fiscalized"
    : inFlight && row.status !== "fiscalized"
      ? "fiscalizing"
      : (row.status as TReceiptStatus);
  const fiscal: TFiscalAttributes | undefined =
    unstored ??
    (row.fd_number !== null
      ? {
          fdNumber: row.fd_number,
          fiscalSign: row.fiscal_sign ?? "",
          fnNumber: row.fn_number ?? "",
          shiftNumber: row.shift_number ?? 0,
          dateTime: row.fiscalized_at ?? "",
        }
      : undefined);
  const reason = row.waiting_code
    ? { kassaCode: row.waiting_code, message: row.waiting_message ?? "" }
    : null;
  return {
    receiptId: row.id,
    idempotencyKey: row.idempotency_key,
    seq: row.seq,
    hlc: row.hlc,
    kind: body.kind,
    status,
    total: row.total,
    change: row.change,
    items: body.items.map(({ sum: _sum, ...item }) => item),
    payments: body.payments,
    taxSystem: body.taxSystem,
    cashier: { name: body.cashier.name, ...(body.cashier.inn ? { inn: body.cashier.inn } : {}) },
    acceptedAt: row.accepted_at,
    ...(fiscal ? { fiscal } : {}),
    ...(reason && status === "waiting_for_device" ? { waitingReason: reason } : {}),
    ...(reason && (status === "needs_attention" || status === "voided") ? { attentionReason: reason } : {}),
    ...(status === "voided" && row.voided_at
      ? { voided: { at: row.voided_at, by: row.voided_by ?? "", reason: row.void_reason ?? "" } }
      : {}),
  };
}
