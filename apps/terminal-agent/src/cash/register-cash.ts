import { type FiscalDevice, FiscalDeviceError } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { BufferDb } from "../db/buffer.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";

export interface RegisterCashRow {
  movement_id: string;
  direction: "in" | "out";
  amount: number;
  cashier_name: string | null;
  state: "pending" | "done" | "needs_attention";
  drawer_before: number | null;
  drawer_after: number | null;
  document_number: number | null;
  reason: string | null;
  updated_at: string;
}

/**
 * Cash in / out on the fiscal register (`moveCash`: Shtrih-M 50/51), so the register's drawer count
 * matches the agent's cash journal — exactly once across crashes and lost answers.
 *
 * The journal row and a `register_cash_moves` row ("the register owes this") commit together
 * (`enqueue`, inside cash.move's transaction). Driving it, in the device runner so nothing else
 * touches the register meanwhile: read the drawer count (money register 241) and store it, then
 * send the movement. Whenever a movement may have been sent before (a crash, an answer the driver
 * could not settle), the count is read again first: before + amount → it happened (done, never sent
 * twice); unchanged → send it; anything else (a cash sale printed in between) → `needs_attention`,
 * never a second movement. A certain refusal of the register's state (paper out, shift over 24 h)
 * leaves it pending, unsent, for the next drive; a refusal of the movement itself (more cash out
 * than the register counts) is `needs_attention`, so the movements behind it go on.
 */
export class RegisterCash {
  private readonly s;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly o: {
      db: BufferDb;
      runner: DeviceRunner;
      log: Logger;
      now: () => number;
      /** How often pending movements are driven again, ms. Default 5 000. */
      retryMs?: number;
    },
  ) {
    const db = o.db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO register_cash_moves (movement_id, direction, amount, cashier_name, state, updated_at)
         VALUES (@movementId, @direction, @amount, @cashierName, 'pending', @updatedAt)`,
      ),
      pending: db.prepare<[], RegisterCashRow>(
        "SELECT * FROM register_cash_moves WHERE state = 'pending' ORDER BY movement_id",
      ),
      byId: db.prepare<[string], RegisterCashRow>("SELECT * FROM register_cash_moves WHERE movement_id = ?"),
      sent: db.prepare(
        "UPDATE register_cash_moves SET drawer_before = @before, reason = NULL, updated_at = @at WHERE movement_id = @id",
      ),
      done: db.prepare(
        `UPDATE register_cash_moves SET state = 'done', drawer_after = @after, document_number = @document,
           reason = NULL, updated_at = @at WHERE movement_id = @id`,
      ),
      waiting: db.prepare(
        "UPDATE register_cash_moves SET drawer_before = @before, reason = @reason, updated_at = @at WHERE movement_id = @id",
      ),
      attention: db.prepare(
        `UPDATE register_cash_moves SET state = 'needs_attention', drawer_after = @after, reason = @reason,
           updated_at = @at WHERE movement_id = @id`,
      ),
    };
  }

  /** Call inside the journal's transaction: the register owes this movement from now on. */
  enqueue(m: {
    movementId: string;
    direction: "in" | "out";
    amount: number;
    cashierName: string | null;
  }): void {
    this.s.insert.run({ ...m, updatedAt: this.at() });
  }

  get(movementId: string): RegisterCashRow | undefined {
    return this.s.byId.get(movementId);
  }

  /** Drives every pending movement, oldest first (start-up, after each cash.move, on a timer). Never throws. */
  drain(): Promise<void> {
    this.draining ??= this.drainAll().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.s.pending.all().length > 0) void this.drain();
    }, this.o.retryMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async drainAll(): Promise<void> {
    for (const row of this.s.pending.all()) {
      try {
        await this.o.runner.run((device) => this.drive(device, row));
      } catch (error) {
        // The runner could not reach the register at all: the rest wait for the next drain.
        this.o.log.warn(
          { err: error, movementId: row.movement_id },
          "cash movement waits for the fiscal register",
        );
        return;
      }
      if (this.get(row.movement_id)?.state === "pending") return; // keep the journal's order
    }
  }

  private async drive(device: FiscalDevice, row: RegisterCashRow): Promise<void> {
    const delta = row.direction === "in" ? row.amount : -row.amount;
    const id = row.movement_id;
    let before = row.drawer_before;
    if (before !== null) {
      // It may have been sent before: the register's count says whether it happened.
      const now = await device.cashInDrawer();
      if (now === before + delta) {
        this.s.done.run({ id, after: now, document: null, at: this.at() });
        this.o.log.info({ movementId: id }, "cash movement was already on the register");
        return;
      }
      if (now !== before) {
        const reason = `The register's drawer count is ${now} kopecks: neither ${before} (before this movement) nor ${before + delta} (after it). Something else moved the drawer meanwhile; support: check the register's journal (X report) for cash movement ${id}.`;
        this.s.attention.run({ id, after: now, reason, at: this.at() });
        this.o.log.error({ movementId: id, before, now, delta }, "cash movement needs attention");
        return;
      }
    } else {
      before = await device.cashInDrawer();
    }
    // Durable before the command goes out: a crash from here on is settled by the count.
    this.s.sent.run({ id, before, at: this.at() });
    try {
      const r = await device.moveCash({
        kind: row.direction === "in" ? "cash_in" : "cash_out",
        amount: row.amount,
        cashier: { name: row.cashier_name ?? "Кассир" },
      });
      this.s.done.run({ id, after: r.cashInDrawer, document: r.documentNumber, at: this.at() });
      this.o.log.info({ movementId: id, document: r.documentNumber }, "cash moved on the register");
    } catch (error) {
      const uncertain = error instanceof FiscalDeviceError && error.uncertain;
      if (!uncertain && error instanceof FiscalDeviceError && error.kassaCode === "BAD_PARAMETERS") {
        // The register refuses this movement itself (e.g. more cash out than its count: a
        // register whose drawer was changed outside Kassa). Waiting would block every
        // movement behind it: support settles it; nothing was moved.
        const reason = `The fiscal register refused cash movement ${id}: ${error.message}`;
        this.s.attention.run({ id, after: before, reason, at: this.at() });
        this.o.log.error({ err: error, movementId: id }, "cash movement refused by the register");
        return;
      }
      // Certain: nothing moved, so the stored count must not be compared with later sales.
      this.s.waiting.run({
        id,
        before: uncertain ? before : null,
        reason: (error as Error).message,
        at: this.at(),
      });
      this.o.log.warn({ err: error, movementId: id, uncertain }, "cash movement not on the register yet");
    }
  }

  private at(): string {
    return new Date(this.o.now()).toISOString();
  }
}
