import type { CentralRouter } from "@kassa/api/central";
import type { inferRouterInputs } from "@trpc/server";
import type { OutboxRow } from "./types.ts";

export type PushInput = inferRouterInputs<CentralRouter>["ingest"]["push"];
export type WireItem = PushInput["items"][number];

/** A row whose payload cannot be turned into a wire item: a permanent, local rejection. */
export class UnsendableItemError extends Error {
  override readonly name = "UnsendableItemError";
}

interface ReceiptPayload {
  receiptId?: string;
  idempotencyKey: string;
  seq: number;
  kind: "sale" | "refund";
  taxSystem: string;
  cashier: { name: string; inn?: string };
  items: {
    name: string;
    price: number;
    quantity: number;
    sum?: number;
    unit?: string;
    vat: string;
    subject?: string;
    paymentMethod?: string;
  }[];
  payments: { type: string; amount: number }[];
  total: number;
  change: number;
  acceptedAt: string;
  /** Absent in rows written before receipts named their shift (an upgrade drains those as they are). */
  shiftId?: string;
  fiscal?: { fdNumber: number; fiscalSign: string; fnNumber: string; shiftNumber: number; dateTime: string };
}

// Defaults of docs/agent-api.md are left out on the wire (absent = default): a till's uplink pays for
// every byte, and most items use them.
const DEFAULTS: Record<string, string> = { unit: "pcs", subject: "goods", paymentMethod: "full_payment" };

function receiptData(p: ReceiptPayload) {
  return {
    idempotencyKey: p.idempotencyKey,
    seq: p.seq,
    kind: p.kind,
    taxSystem: p.taxSystem,
    cashier: p.cashier.inn ? { name: p.cashier.name, inn: p.cashier.inn } : { name: p.cashier.name },
    items: p.items.map((item) => {
      const out: Record<string, unknown> = {
        name: item.name,
        price: item.price,
        quantity: item.quantity,
        vat: item.vat,
      };
      for (const key of ["unit", "subject", "paymentMethod"] as const) {
        if (item[key] !== undefined && item[key] !== DEFAULTS[key]) out[key] = item[key];
      }
      return out as ReceiptPayload["items"][number];
    }),
    payments: p.payments.map((pay) => ({ type: pay.type, amount: pay.amount })),
    total: p.total,
    change: p.change,
    acceptedAt: p.acceptedAt,
    // The central server counts the receipt's cash in this shift, not in whichever shift's times
    // hold acceptedAt (wrong at a shift change or after a clock step). One id repeated across a
    // batch's receipts, so gzip keeps it to a few bytes a receipt (bench:sync).
    ...(p.shiftId ? { shiftId: p.shiftId } : {}),
    ...(p.fiscal ? { fiscal: p.fiscal } : {}),
  };
}

/**
 * Turns an outbox row into what `ingest.push` takes. The payload shapes are the agent's
 * (receipts/payloads.ts); the central server validates every field again.
 */
export function toWireItem(row: OutboxRow): WireItem {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    throw new UnsendableItemError(`The outbox payload of ${row.kind} ${row.item_id} is not JSON.`);
  }
  if (!payload || typeof payload !== "object") {
    throw new UnsendableItemError(`The outbox payload of ${row.kind} ${row.item_id} is not an object.`);
  }
  const base = { id: row.item_id, hlc: row.hlc };
  switch (row.kind) {
    case "receipt":
      return { ...base, kind: "receipt", data: receiptData(payload as ReceiptPayload) } as WireItem;
    case "receipt_fiscalized": {
      const p = payload as { fiscal?: unknown };
      return { ...base, kind: "receipt_fiscalized", data: p.fiscal ?? p } as WireItem;
    }
    case "shift":
    case "cash_movement":
    case "rum":
    case "device_event":
    case "breaker_transition":
    case "dlq_item":
    case "command_ack":
    case "ofd_status":
    case "terminal_status":
    // A correction receipt (receipts/correction-service.ts) and its fiscal attributes, as queued.
    case "correction":
    case "correction_fiscalized":
      return { ...base, kind: row.kind, data: payload } as WireItem;
    case "receipt_attention": {
      // The payload also names the terminal and receipt (the item's id): the wire carries only the change.
      const p = payload as { reason?: unknown; at?: unknown };
      return { ...base, kind: "receipt_attention", data: { reason: p.reason, at: p.at } } as WireItem;
    }
    case "receipt_voided": {
      const p = payload as { by?: unknown; reason?: unknown; at?: unknown };
      return { ...base, kind: "receipt_voided", data: { by: p.by, reason: p.reason, at: p.at } } as WireItem;
    }
    default:
      throw new UnsendableItemError(`The central server takes no items of kind "${row.kind}".`);
  }
}
