import { createHash } from "node:crypto";
import type {
  TCreateReceiptInput,
  TCreateReceiptOutput,
  TGetReceiptInput,
  TListReceiptsInput,
  TListReceiptsOutput,
  TReceiptView,
  TVoidReceiptInput,
} from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import { lineSum } from "@kassa/fiscal/ffd";
import type { Logger } from "pino";
import type { AuthService } from "../auth/auth-service.ts";
import type { BufferCapacity } from "../buffer/capacity.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import type { AcceptRow, BufferWriter } from "../db/buffer-writer.ts";
import type { ReceiptRow, ReceiptStatements } from "../db/receipt-rows.ts";
import type { FiscalOutcome, FiscalQueue } from "../fiscal/fiscal-queue.ts";
import { newUlid as ulid } from "../ids.ts";
import type { AgentMetrics } from "../metrics.ts";
import type { RumSink } from "../rum.ts";
import type { ShiftService } from "../shift/shift-service.ts";
import { type ReceiptFiscalStore, toFiscalReceipt } from "./fiscal-store.ts";
import { GroupCommit } from "./group-commit.ts";
import type { ReceiptPayload } from "./payloads.ts";
import { receiptView } from "./receipt-view.ts";

export interface ReceiptServiceOptions {
  db: BufferDb;
  statements: ReceiptStatements;
  /** Where accepted receipts are committed (the commit thread, or inline). */
  writer: BufferWriter;
  terminalId: string;
  defaultTaxSystem: string;
  /** VAT rate ids the device knows (the rate table is data). */
  isVatRate: (id: string) => boolean;
  hlc: HybridLogicalClock;
  queue: FiscalQueue;
  /** Support's side of receipts the register refused (void). */
  attention: Pick<ReceiptFiscalStore, "voidReceipt">;
  shifts: ShiftService;
  auth: AuthService;
  capacity: BufferCapacity;
  metrics: AgentMetrics;
  log: Logger;
  now: () => number;
  /** RUM: each new receipt's accept latency by phase (`receipt.accept.validate|commit|print`). */
  rum?: RumSink;
}

/**
 * Accepting a receipt: validate → HLC → one SQLite transaction (receipt + outbox row) → print.
 * Everything up to handing the row to the group commit is synchronous, and a key waiting for its
 * commit is known (`commits.pending`), so two calls with one idempotency key can never both insert.
 * The POS hears back only after the commit (synchronous=FULL) and the register's answer.
 */
export class ReceiptService {
  private seq: number;
  private readonly commits: GroupCommit<AcceptRow>;

  constructor(private readonly o: ReceiptServiceOptions) {
    this.seq = o.statements.maxSeq.get()?.seq ?? 0;
    this.commits = new GroupCommit(
      (rows) => o.writer.accept(rows),
      (row) => o.writer.accept([row]),
    );
  }

  async create(input: TCreateReceiptInput): Promise<TCreateReceiptOutput> {
    const started = performance.now();
    const o = this.o;
    const cashier = o.auth.resolve(input.cashier)!;
    // zod's output lists keys in schema order with defaults applied: a canonical form of the body.
    // A session token is credentials, not receipt content: the hash holds the cashier it names, so a
    // POS retrying after a new login (the same cashier) gets its receipt back instead of a 409.
    const bodyHash = createHash("sha256")
      .update(JSON.stringify({ ...input, cashier }))
      .digest("hex");
    const existing = o.statements.byKey.get(input.idempotencyKey);
    if (existing) return this.replay(existing, bodyHash);
    const committing = this.commits.pending(input.idempotencyKey);
    if (committing) {
      if (committing.bodyHash !== bodyHash) throw conflict(input.idempotencyKey, committing.row.id);
      await committing.done;
      return this.replay(o.statements.byKey.get(input.idempotencyKey)!, bodyHash);
    }

    input.items.forEach((item, index) => {
      if (!o.isVatRate(item.vat)) {
        throw new AppError("VALIDATION_FAILED", {
          message: `Unknown VAT rate "${item.vat}" in item ${index}: use one of the terminal's rates (vat22, vat20, vat10, vat0, none, …).`,
          fieldErrors: { [`items.${index}.vat`]: ["unknown VAT rate"] },
        });
      }
    });
    const shift = o.shifts.assertCanSell();
    o.capacity.assertRoom(2);

    const now = o.now();
    const id = ulid(now);
    const hlc = o.hlc.now();
    const seq = ++this.seq;
    let total = 0;
    const items = input.items.map((item) => {
      const sum = lineSum(item.price, item.quantity);
      total += sum;
      return { ...item, sum };
    });
    let cashTotal = 0;
    let paid = 0;
    for (const p of input.payments) {
      paid += p.amount;
      if (p.type === "cash") cashTotal += p.amount;
    }
    const change = paid - total;
    const cashNet = (cashTotal - change) * (input.kind === "sale" ? 1 : -1);
    const acceptedAt = new Date(now).toISOString();
    const payload: ReceiptPayload = {
      terminalId: o.terminalId,
      receiptId: id,
      idempotencyKey: input.idempotencyKey,
      bodyHash,
      seq,
      hlc,
      kind: input.kind,
      taxSystem: input.taxSystem ?? o.defaultTaxSystem,
      cashier,
      items,
      payments: input.payments,
      total,
      cashTotal,
      change,
      acceptedAt,
      shiftId: shift.id,
    };
    const body = JSON.stringify(payload);
    // The lower bound and the FN it counts on, read together: after an FN swap the numbering restarts.
    const expectedFd = o.queue.nextFdLowerBound();
    const expectedFn = o.queue.fnNumber;
    const row: AcceptRow = {
      id,
      seq,
      idempotencyKey: input.idempotencyKey,
      bodyHash,
      hlc,
      kind: input.kind,
      body,
      total,
      change,
      expectedFd,
      expectedFn: expectedFd === null ? null : expectedFn,
      acceptedAt,
      shiftId: shift.id,
      cashNet,
    };
    // Counted now, so a burst in one commit cannot overshoot the capacity.
    o.capacity.added(2);
    const validated = performance.now();
    try {
      await this.commits.add(input.idempotencyKey, bodyHash, row);
    } catch (error) {
      o.capacity.refresh();
      // A seq another writer took (BUFFER_CONFLICT): number on after it, so the POS's retry succeeds.
      this.seq = Math.max(this.seq, o.statements.maxSeq.get()?.seq ?? 0);
      // Another agent process on the same buffer took the key between our check and insert.
      const raced = o.statements.byKey.get(input.idempotencyKey);
      if (raced) return this.replay(raced, bodyHash);
      throw error;
    }
    const committed = performance.now();
    o.metrics.receiptsAccepted.inc({ kind: input.kind });
    o.metrics.acceptSeconds.observe((committed - started) / 1000);
    o.log.debug({ receiptId: id, seq, status: "accepted" }, "receipt accepted");

    const outcome = await o.queue.submit(id, toFiscalReceipt(payload), expectedFd, expectedFn);
    if (o.rum) {
      // Measured at `now` (acceptance), so the three phases of one receipt share a timestamp.
      const labels = { kind: input.kind };
      o.rum.measure("receipt.accept.validate", validated - started, "ms", labels, now);
      o.rum.measure("receipt.accept.commit", committed - validated, "ms", labels, now);
      o.rum.measure(
        "receipt.accept.print",
        performance.now() - committed,
        "ms",
        {
          ...labels,
          status: outcome.status,
        },
        now,
      );
    }
    if (outcome.status === "waiting_for_device") {
      o.log.debug({ receiptId: id, reason: outcome.waitingReason.kassaCode }, "receipt waiting for device");
    }
    return { receiptId: id, status: outcome.status, total, change, seq, hlc, ...outcomeFields(outcome) };
  }

  get(input: TGetReceiptInput): TReceiptView {
    const row =
      "receiptId" in input
        ? this.o.statements.byId.get(input.receiptId)
        : this.o.statements.byKey.get(input.idempotencyKey);
    if (!row) {
      throw new AppError("NOT_FOUND", {
        message: `No receipt ${"receiptId" in input ? `with id ${input.receiptId}` : `with idempotency key ${input.idempotencyKey}`} on this till.`,
      });
    }
    return this.view(row);
  }

  /**
   * Support resolves a receipt the register refused: voided, never printed, no fiscal document made;
   * the void (who, when, why) and its outbox row are one SQLite transaction.
   */
  void(input: TVoidReceiptInput): TReceiptView {
    const row = this.o.statements.byId.get(input.receiptId);
    if (!row) {
      throw new AppError("NOT_FOUND", { message: `No receipt with id ${input.receiptId} on this till.` });
    }
    if (!this.o.attention.voidReceipt(row.id, input.by ?? "support", input.reason)) {
      const status = this.view(row).status;
      throw new AppError("RECEIPT_NOT_VOIDABLE", {
        message: `Receipt ${row.id} is ${status}: only a receipt the register refused (needs_attention) can be voided${status === "voided" ? ", and it already is" : "; a printed receipt is undone with a refund"}.`,
        fieldErrors: { receiptId: [`receipt is ${status}, not needs_attention`] },
      });
    }
    this.o.log.warn({ receiptId: row.id, by: input.by ?? "support" }, `receipt voided: ${input.reason}`);
    return this.view(this.o.statements.byId.get(row.id)!);
  }

  private view(row: ReceiptRow): TReceiptView {
    return receiptView(row, this.o.queue.inFlight === row.id, this.o.queue.unstoredFiscal(row.id));
  }

  list(input: TListReceiptsInput): TListReceiptsOutput {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (input.status === "fiscalizing") {
      where.push("id = ?");
      params.push(this.o.queue.inFlight ?? "");
    } else if (input.status) {
      where.push("status = ?");
      params.push(input.status);
    }
    if (input.from) {
      where.push("accepted_at >= ?");
      params.push(new Date(input.from).toISOString());
    }
    if (input.to) {
      where.push("accepted_at < ?");
      params.push(new Date(input.to).toISOString());
    }
    if (input.cursor) {
      where.push("seq < ?");
      params.push(Number(input.cursor));
    }
    const sql = `SELECT * FROM receipts ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    const rows = this.o.db.prepare<(string | number)[], ReceiptRow>(sql).all(...params, input.limit + 1);
    const page = rows.slice(0, input.limit);
    return {
      items: page.map((row) => this.view(row)),
      nextCursor: rows.length > input.limit ? String(page[page.length - 1]!.seq) : null,
    };
  }

  /** Same key: the same body gets the original result (waiting for the device if it is printing now). */
  private async replay(row: ReceiptRow, bodyHash: string): Promise<TCreateReceiptOutput> {
    if (row.body_hash !== bodyHash) throw conflict(row.idempotency_key, row.id);
    const settled =
      row.status === "fiscalized" || row.status === "needs_attention" || row.status === "voided";
    const pending = settled ? null : this.o.queue.waitFor(row.id);
    const current = pending ? await pending.then(() => this.o.statements.byId.get(row.id)!) : row;
    const view = this.view(current);
    return {
      receiptId: view.receiptId,
      status: view.status,
      total: view.total,
      change: view.change,
      seq: view.seq,
      hlc: view.hlc,
      ...(view.fiscal ? { fiscal: view.fiscal } : {}),
      ...(view.waitingReason ? { waitingReason: view.waitingReason } : {}),
      ...(view.attentionReason ? { attentionReason: view.attentionReason } : {}),
    };
  }
}

function conflict(key: string, receiptId: string): AppError {
  return new AppError("IDEMPOTENCY_CONFLICT", {
    message: `Idempotency key "${key}" was already used for a different receipt (${receiptId}). Use a new key for a new receipt.`,
    fieldErrors: { idempotencyKey: ["already used with a different body"] },
  });
}

function outcomeFields(outcome: FiscalOutcome) {
  switch (outcome.status) {
    case "fiscalized":
      return { fiscal: outcome.fiscal };
    case "waiting_for_device":
      return { waitingReason: outcome.waitingReason };
    case "needs_attention":
      return { attentionReason: outcome.attentionReason };
  }
}
