import { createHash } from "node:crypto";
import type {
  TCorrectReceiptInput,
  TCorrectReceiptOutput,
  TFiscalAttributes,
  TWaitingReason,
} from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import { type FiscalCorrection, type FiscalDevice, FiscalDeviceError } from "@kassa/fiscal/device";
import { lineSum } from "@kassa/fiscal/ffd";
import type { Logger } from "pino";
import type { AuthService } from "../auth/auth-service.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import { isContentRefusal } from "../fiscal/content-refusal.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";
import { waitingReasonFor } from "../fiscal/waiting-reason.ts";
import { withOffset } from "../fiscal/with-offset.ts";
import { newUlid as ulid } from "../ids.ts";
import type { ShiftService } from "../shift/shift-service.ts";

interface CorrectionRow {
  id: string;
  idempotency_key: string;
  body_hash: string;
  shift_id: string;
  body: string;
  state: "pending" | "fiscalized" | "needs_attention";
  expected_fd: number | null;
  expected_fn: string | null;
  fd_number: number | null;
  fiscal_sign: string | null;
  fn_number: string | null;
  fiscal_shift: number | null;
  fiscalized_at: string | null;
  reason: string | null;
}

/**
 * `receipts.correct`: correction receipts (FFD 1.2, type 31) with a sale's guarantees.
 *
 * Two-phase, exactly once: the correction is committed (with its idempotency key and body hash)
 * before the register is touched; in the device runner the expected FD (the FN's last + 1, and the
 * FN's number) is stored before `fiscalizeCorrection` starts; whenever a print may have started
 * (the expected FD is known: a crash, a timeout, an unsettled answer), `recoverReceipt` looks the
 * FN up by tag 1192 = the correction's id first and prints only when it is not there. A refusal
 * for its content sets it aside (`needs_attention`); a register that cannot print now leaves it
 * pending, driven again at start-up and on the next call.
 *
 * Synced like a receipt: a `correction` outbox item commits with the correction, a
 * `correction_fiscalized` item with its fiscal attributes (central ingest stores both as records).
 */
export class CorrectionService {
  private readonly s;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly o: {
      db: BufferDb;
      runner: DeviceRunner;
      shifts: ShiftService;
      auth: AuthService;
      hlc: HybridLogicalClock;
      isVatRate: (id: string) => boolean;
      defaultTaxSystem: string;
      now: () => number;
      log: Logger;
    },
  ) {
    const db = o.db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO corrections (id, idempotency_key, body_hash, shift_id, body, state, created_at, hlc)
         VALUES (@id, @idempotencyKey, @bodyHash, @shiftId, @body, 'pending', @createdAt, @hlc)`,
      ),
      byKey: db.prepare<[string], CorrectionRow>("SELECT * FROM corrections WHERE idempotency_key = ?"),
      byId: db.prepare<[string], CorrectionRow>("SELECT * FROM corrections WHERE id = ?"),
      pending: db.prepare<[], CorrectionRow>("SELECT * FROM corrections WHERE state = 'pending' ORDER BY id"),
      expected: db.prepare("UPDATE corrections SET expected_fd = @fd, expected_fn = @fn WHERE id = @id"),
      // Only a pending correction: its correction_fiscalized item is queued once, whichever path
      // (the print's answer, a recovery lookup) settles it first.
      fiscalized: db.prepare(
        `UPDATE corrections SET state = 'fiscalized', fd_number = @fdNumber, fiscal_sign = @fiscalSign,
           fn_number = @fnNumber, fiscal_shift = @shiftNumber, fiscalized_at = @dateTime, reason = NULL
         WHERE id = @id AND state = 'pending'`,
      ),
      waiting: db.prepare("UPDATE corrections SET reason = @reason WHERE id = @id"),
      outbox: db.prepare(
        "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', ?, ?, ?, ?)",
      ),
      attention: db.prepare(
        "UPDATE corrections SET state = 'needs_attention', reason = @reason WHERE id = @id",
      ),
    };
  }

  async correct(input: TCorrectReceiptInput): Promise<TCorrectReceiptOutput> {
    const o = this.o;
    const cashier = o.auth.resolve(input.cashier);
    const bodyHash = createHash("sha256")
      .update(JSON.stringify({ ...input, cashier }))
      .digest("hex");
    const existing = this.s.byKey.get(input.idempotencyKey);
    if (existing) {
      if (existing.body_hash !== bodyHash) {
        throw new AppError("IDEMPOTENCY_CONFLICT", {
          message: `Idempotency key "${input.idempotencyKey}" was already used for a different correction (${existing.id}). Use a new key for a new correction.`,
          fieldErrors: { idempotencyKey: ["already used with a different body"] },
        });
      }
      if (existing.state === "pending") await this.drive(existing.id);
      return this.view(this.s.byId.get(existing.id)!);
    }
    input.items.forEach((item, index) => {
      if (!o.isVatRate(item.vat)) {
        throw new AppError("VALIDATION_FAILED", {
          message: `Unknown VAT rate "${item.vat}" in item ${index}: use one of the terminal's rates.`,
          fieldErrors: { [`items.${index}.vat`]: ["unknown VAT rate"] },
        });
      }
    });
    const shift = o.shifts.assertCanSell();
    const now = o.now();
    const id = ulid(now);
    let cash = 0;
    let electronic = 0;
    for (const p of input.payments) {
      if (p.type === "cash") cash += p.amount;
      else electronic += p.amount;
    }
    const body: FiscalCorrection = {
      receiptId: id,
      kind: input.kind,
      correctionType: input.correctionType,
      basis: {
        date: input.basis.date,
        ...(input.basis.documentNumber ? { documentNumber: input.basis.documentNumber } : {}),
      },
      items: input.items.map((i) => ({ ...i, sum: lineSum(i.price, i.quantity) })),
      payments: { cash, electronic },
      taxSystem: (input.taxSystem ?? o.defaultTaxSystem) as FiscalCorrection["taxSystem"],
      cashier: cashier
        ? { name: cashier.name, ...(cashier.inn ? { inn: cashier.inn } : {}) }
        : { name: "Кассир" },
    };
    const createdAt = new Date(now).toISOString();
    const hlc = o.hlc.now();
    // The correction and its `correction` outbox item commit together, before the register is
    // touched (the receipts' two phases): the central server learns of it even if it never prints.
    o.db.transaction(() => {
      this.s.insert.run({
        id,
        idempotencyKey: input.idempotencyKey,
        bodyHash,
        shiftId: shift.id,
        body: JSON.stringify(body),
        createdAt,
        hlc,
      });
      this.s.outbox.run("correction", id, hlc, JSON.stringify(correctionItem(body, shift.id, createdAt)));
    })();
    o.log.info(
      { correctionId: id, kind: input.kind, correctionType: input.correctionType },
      "correction accepted",
    );
    await this.drive(id);
    return this.view(this.s.byId.get(id)!);
  }

  /** Start-up: corrections accepted (or printing) before a crash, in order. Never throws. */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      for (const row of this.s.pending.all()) {
        await this.drive(row.id);
        if (this.s.byId.get(row.id)?.state === "pending") return;
      }
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drive(id: string): Promise<void> {
    try {
      await this.o.runner.run((device) => this.fiscalize(device, this.s.byId.get(id)!));
    } catch (error) {
      // The register could not be reached at all: it stays pending, with the reason.
      this.s.waiting.run({ id, reason: JSON.stringify(waitingReasonFor(error)) });
    }
  }

  private async fiscalize(device: FiscalDevice, row: CorrectionRow): Promise<void> {
    if (row.state !== "pending") return;
    const body = JSON.parse(row.body) as FiscalCorrection;
    const fn = await device.fnStatus();
    if (row.expected_fd !== null) {
      // A print may have started: the FN is asked before anything prints again.
      const found = await device.recoverReceipt(row.id, row.expected_fd);
      if (found.fiscalized) {
        this.markFiscalized(row.id, found.attributes);
        this.o.log.info({ correctionId: row.id }, "correction found on the fiscal register");
        return;
      }
      if (row.expected_fn !== null && row.expected_fn !== fn.fnNumber) {
        this.attention(
          row.id,
          "FN_REPLACED",
          `The fiscal drive was replaced (FN ${row.expected_fn} → ${fn.fnNumber}) while correction ${row.id} may have been printing on the old one; Kassa will not print it again. Support: check the old FN's archive.`,
        );
        return;
      }
    }
    this.s.expected.run({ id: row.id, fd: fn.lastFdNumber + 1, fn: fn.fnNumber });
    try {
      const r = await device.fiscalizeCorrection(body);
      this.markFiscalized(row.id, {
        fdNumber: r.fdNumber,
        fiscalSign: r.fiscalSign,
        fnNumber: r.fnNumber,
        shiftNumber: r.shiftNumber,
        dateTime: r.dateTime,
      });
      this.o.log.info({ correctionId: row.id, fdNumber: r.fdNumber }, "correction fiscalized");
    } catch (error) {
      if (isContentRefusal(error)) {
        this.attention(
          row.id,
          error.kassaCode,
          `The fiscal register refused this correction: ${error.message}`,
        );
        return;
      }
      if (error instanceof FiscalDeviceError && !error.uncertain) {
        // Certainly not printed: the next drive prints it without a lookup.
        this.s.expected.run({ id: row.id, fd: null, fn: null });
      }
      this.s.waiting.run({ id: row.id, reason: JSON.stringify(waitingReasonFor(error)) });
      this.o.log.warn({ err: error, correctionId: row.id }, "correction waits for the fiscal register");
    }
  }

  /**
   * The fiscal attributes and their `correction_fiscalized` outbox item, in one transaction. The
   * register's time has no zone: it gets the till's offset, as receipts' do (the API and central
   * ingest take ISO-8601 with an offset).
   */
  private markFiscalized(id: string, attributes: TFiscalAttributes): void {
    const fiscal = { ...attributes, dateTime: withOffset(attributes.dateTime) };
    this.o.db.transaction(() => {
      if (this.s.fiscalized.run({ id, ...fiscal }).changes === 0) return;
      this.s.outbox.run("correction_fiscalized", id, this.o.hlc.now(), JSON.stringify(fiscal));
    })();
  }

  private attention(id: string, kassaCode: string, message: string): void {
    this.s.attention.run({ id, reason: JSON.stringify({ kassaCode, message } satisfies TWaitingReason) });
    this.o.log.error({ correctionId: id, kassaCode }, "correction needs attention");
  }

  private view(row: CorrectionRow): TCorrectReceiptOutput {
    const body = JSON.parse(row.body) as FiscalCorrection;
    const total = body.items.reduce((s, i) => s + i.sum, 0);
    const reason = row.reason ? (JSON.parse(row.reason) as TWaitingReason) : undefined;
    if (row.state === "fiscalized") {
      const fiscal: TFiscalAttributes = {
        fdNumber: row.fd_number!,
        fiscalSign: row.fiscal_sign!,
        fnNumber: row.fn_number!,
        shiftNumber: row.fiscal_shift!,
        dateTime: row.fiscalized_at!,
      };
      return { correctionId: row.id, status: "fiscalized", total, fiscal };
    }
    return {
      correctionId: row.id,
      status: row.state === "needs_attention" ? "needs_attention" : "waiting_for_device",
      total,
      ...(reason ? { reason } : {}),
    };
  }
}

/** The `correction` outbox item: what central ingest's ZCorrectionData takes. */
export function correctionItem(body: FiscalCorrection, shiftId: string, acceptedAt: string) {
  return {
    kind: body.kind,
    correctionType: body.correctionType,
    basis: body.basis,
    taxSystem: body.taxSystem,
    cashier: body.cashier,
    items: body.items,
    payments: body.payments,
    total: body.items.reduce((s, i) => s + i.sum, 0),
    shiftId,
    acceptedAt,
  };
}
