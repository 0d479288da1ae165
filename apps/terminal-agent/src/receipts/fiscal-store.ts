import type { TWaitingReason } from "@kassa/api/agent";
import type { FiscalReceipt } from "@kassa/fiscal/device";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import type { BufferWriter } from "../db/buffer-writer.ts";
import type { ReceiptStatements } from "../db/receipt-rows.ts";
import type { FiscalStore } from "../fiscal/fiscal-queue.ts";
import type {
  ReceiptAttentionPayload,
  ReceiptFiscalizedPayload,
  ReceiptPayload,
  ReceiptVoidedPayload,
} from "./payloads.ts";

export function toFiscalReceipt(payload: ReceiptPayload): FiscalReceipt {
  let cash = 0;
  let electronic = 0;
  for (const p of payload.payments) {
    if (p.type === "cash") cash += p.amount;
    else electronic += p.amount;
  }
  return {
    receiptId: payload.receiptId,
    kind: payload.kind === "sale" ? "income" : "income_return",
    items: payload.items.map((i) => ({
      name: i.name,
      price: i.price,
      quantity: i.quantity,
      sum: i.sum,
      vat: i.vat,
      subject: i.subject,
      paymentMethod: i.paymentMethod,
      unit: i.unit,
    })),
    payments: { cash, electronic },
    taxSystem: payload.taxSystem as FiscalReceipt["taxSystem"],
    cashier: { name: payload.cashier.name, ...(payload.cashier.inn ? { inn: payload.cashier.inn } : {}) },
  };
}

/** The fiscal queue's store, plus support's side of a receipt set aside. */
export interface ReceiptFiscalStore extends FiscalStore {
  /**
   * Voids a `needs_attention` receipt and queues its `receipt_voided` outbox row, in one transaction.
   * Returns false (nothing written) when the receipt is not `needs_attention`.
   */
  voidReceipt(receiptId: string, by: string, reason: string): boolean;
  countNeedsAttention(): number;
}

/** Statuses the fiscal queue never takes up again: printed, or set aside for support. */
const DONE_STATUSES = "('fiscalized', 'needs_attention', 'voided')";

/** The fiscal queue's durable side: each method is one SQLite transaction (synchronous=FULL). */
export function createFiscalStore(opts: {
  db: BufferDb;
  statements: ReceiptStatements;
  writer: BufferWriter;
  hlc: HybridLogicalClock;
  terminalId: string;
  now: () => number;
}): ReceiptFiscalStore {
  const { db, statements: s } = opts;
  // A receipt set aside or voided is never "waiting" again (the queue no longer holds it).
  const markWaiting = db.prepare(
    `UPDATE receipts SET status = 'waiting_for_device', waiting_code = ?, waiting_message = ?, updated_at = ?
     WHERE id = ? AND status NOT IN ${DONE_STATUSES}`,
  );
  const waiting = db.transaction((ids: readonly string[], reason: TWaitingReason) => {
    const at = new Date(opts.now()).toISOString();
    for (const id of ids) markWaiting.run(reason.kassaCode, reason.message, at, id);
  });
  const unfiscalized = db.prepare<
    [],
    { id: string; body: string; expected_fd: number | null; fn_number: string | null }
  >(
    `SELECT id, body, expected_fd, fn_number FROM receipts WHERE status NOT IN ${DONE_STATUSES} ORDER BY seq`,
  );
  // fn_number holds the FN the expected FD counts on until the fiscal attributes overwrite it
  // (receipt views show fiscal attributes only once fd_number is set).
  const setExpectedFd = db.prepare(
    "UPDATE receipts SET expected_fd = ?, fn_number = coalesce(?, fn_number) WHERE id = ? AND fd_number IS NULL",
  );
  const markNeedsAttention = db.prepare(
    `UPDATE receipts SET status = 'needs_attention', waiting_code = ?, waiting_message = ?, updated_at = ?
     WHERE id = ? AND status NOT IN ${DONE_STATUSES}`,
  );
  // A voided sale is no sale: it stops counting in the shift's expected cash.
  const markVoided = db.prepare(
    `UPDATE receipts SET status = 'voided', voided_at = ?, voided_by = ?, void_reason = ?, cash_net = 0, updated_at = ?
     WHERE id = ? AND status = 'needs_attention'`,
  );
  const countNeedsAttention = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM receipts WHERE status = 'needs_attention'",
  );
  const setAside = db.transaction((receiptId: string, reason: TWaitingReason) => {
    const at = new Date(opts.now()).toISOString();
    if (markNeedsAttention.run(reason.kassaCode, reason.message, at, receiptId).changes === 0) return;
    const payload: ReceiptAttentionPayload = { terminalId: opts.terminalId, receiptId, reason, at };
    s.insertOutbox.run("central", "receipt_attention", receiptId, opts.hlc.now(), JSON.stringify(payload));
  });
  const voided = db.transaction((receiptId: string, by: string, reason: string): boolean => {
    const at = new Date(opts.now()).toISOString();
    if (markVoided.run(at, by, reason, at, receiptId).changes === 0) return false;
    const payload: ReceiptVoidedPayload = { terminalId: opts.terminalId, receiptId, by, reason, at };
    s.insertOutbox.run("central", "receipt_voided", receiptId, opts.hlc.now(), JSON.stringify(payload));
    return true;
  });
  return {
    // The fiscal attributes are also in the FN, the source of truth: if an OS crash or power cut
    // loses this commit, start-up recovery reads them back from the device (recoverReceipt). So the
    // writer skips the fsync here (synchronous=NORMAL: safe against a killed process, synced by the
    // next FULL commit); the accept itself is always FULL.
    markFiscalized: (receipts) => {
      const updatedAt = new Date(opts.now()).toISOString();
      return opts.writer.fiscalized(
        receipts.map(({ receiptId, fiscal }) => {
          const payload: ReceiptFiscalizedPayload = {
            terminalId: opts.terminalId,
            receiptId,
            fiscal,
            fiscalizedAt: updatedAt,
          };
          return {
            update: { id: receiptId, ...fiscal, updatedAt },
            outbox: ["central", "receipt_fiscalized", receiptId, opts.hlc.now(), JSON.stringify(payload)],
          };
        }),
      );
    },
    markWaiting: (ids, reason) => {
      if (ids.length > 0) waiting(ids, reason);
    },
    markNeedsAttention: (receiptId, reason) => setAside(receiptId, reason),
    setExpectedFd: (receiptId, expectedFd, fnNumber) => {
      setExpectedFd.run(expectedFd, fnNumber, receiptId);
    },
    loadUnfiscalized: () =>
      unfiscalized.all().map((row) => ({
        id: row.id,
        receipt: toFiscalReceipt(JSON.parse(row.body) as ReceiptPayload),
        expectedFd: row.expected_fd,
        expectedFn: row.fn_number,
      })),
    voidReceipt: (receiptId, by, reason) => voided(receiptId, by, reason),
    countNeedsAttention: () => countNeedsAttention.get()!.n,
  };
}
