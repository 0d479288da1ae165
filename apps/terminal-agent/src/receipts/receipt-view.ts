import type { TReceiptStatus, TReceiptView } from "@kassa/api/agent";
import type { ReceiptRow } from "../db/receipt-rows.ts";
import type { ReceiptPayload } from "./payloads.ts";

/** A stored row as the local API shows it; `inFlight` marks the receipt the device is printing now. */
export function receiptView(row: ReceiptRow, inFlight: boolean): TReceiptView {
  const body = JSON.parse(row.body) as ReceiptPayload;
  const status: TReceiptStatus =
    inFlight && row.status !== "fiscalized" ? "fiscalizing" : (row.status as TReceiptStatus);
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
    ...(row.fd_number !== null
      ? {
          fiscal: {
            fdNumber: row.fd_number,
            fiscalSign: row.fiscal_sign ?? "",
            fnNumber: row.fn_number ?? "",
            shiftNumber: row.shift_number ?? 0,
            dateTime: row.fiscalized_at ?? "",
          },
        }
      : {}),
    ...(row.waiting_code && row.status === "waiting_for_device"
      ? { waitingReason: { kassaCode: row.waiting_code, message: row.waiting_message ?? "" } }
      : {}),
  };
}
