import type { TWaitingReason } from "@kassa/api/agent";
import type { FiscalReceipt } from "@kassa/fiscal/device";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import type { BufferWriter } from "../db/buffer-writer.ts";
import type { ReceiptStatements } from "../db/receipt-rows.ts";
import type { FiscalStore } from "../fiscal/fiscal-queue.ts";
import type { ReceiptFiscalizedPayload, ReceiptPayload } from "./payloads.ts";

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

/** The fiscal queue's durable side: each method is one SQLite transaction (synchronous=FULL). */
export function createFiscalStore(opts: {
  db: BufferDb;
  statements: ReceiptStatements;
  writer: BufferWriter;
  hlc: HybridLogicalClock;
  terminalId: string;
  now: () => number;
}): FiscalStore {
  const { db, statements: s } = opts;
  const waiting = db.transaction((ids: readonly string[], reason: TWaitingReason) => {
    const at = new Date(opts.now()).toISOString();
    for (const id of ids) s.markWaiting.run(reason.kassaCode, reason.message, at, id);
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
    setExpectedFd: (receiptId, expectedFd) => {
      s.setExpectedFd.run(expectedFd, receiptId);
    },
    loadUnfiscalized: () =>
      s.unfiscalized.all().map((row) => ({
        id: row.id,
        receipt: toFiscalReceipt(JSON.parse(row.body) as ReceiptPayload),
        expectedFd: row.expected_fd,
      })),
  };
}
