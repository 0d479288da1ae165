import { createHash } from "node:crypto";
import type { TMoveCashInput, TMoveCashOutput } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import type { Logger } from "pino";
import type { AuthService } from "../auth/auth-service.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import { newUlid as ulid } from "../ids.ts";
import type { ShiftService } from "../shift/shift-service.ts";
import { cashSummary, type MovementRow, queueSnapshot } from "../shift/shift-store.ts";
import type { RegisterCash } from "./register-cash.ts";

/** Cash in and out of the drawer: one append-only journal row and one outbox row, in one transaction. */
export class CashService {
  constructor(
    private readonly options: {
      db: BufferDb;
      shifts: ShiftService;
      auth: AuthService;
      hlc: HybridLogicalClock;
      now: () => number;
      log: Logger;
      /** Drives each movement on the fiscal register too (50/51), exactly once; absent = journal only. */
      register?: RegisterCash;
    },
  ) {}

  move(input: TMoveCashInput): TMoveCashOutput {
    const cashier = this.options.auth.resolve(input.cashier);
    const s = this.options.shifts.statements;
    // Like receipts: the hash holds the cashier the reference names, not a session token, so a
    // retry after a new login by the same cashier is the same movement.
    const bodyHash =
      input.idempotencyKey === undefined
        ? null
        : createHash("sha256")
            .update(
              JSON.stringify([
                input.direction,
                input.amount,
                input.reason,
                cashier?.name ?? null,
                cashier?.inn ?? null,
              ]),
            )
            .digest("hex");
    if (input.idempotencyKey !== undefined) {
      // Checked before the shift: a retry after the shift closed still gets its movement back.
      const existing = s.movementByKey.get(input.idempotencyKey);
      if (existing) return this.replay(existing, bodyHash!);
    }
    const shift = this.options.shifts.current();
    if (!shift) {
      throw new AppError("SHIFT_CLOSED", {
        message: "No shift is open: cash moves belong to a shift. Open one with shift.open.",
      });
    }
    if (input.direction === "out") {
      const available = cashSummary(s, shift.id).expected;
      if (input.amount > available) {
        throw new AppError("VALIDATION_FAILED", {
          message: `Only ${available} kopecks should be in the drawer: cannot take out ${input.amount}.`,
          fieldErrors: { amount: [`exceeds the expected cash in the drawer (${available})`] },
        });
      }
    }
    const now = this.options.now();
    const at = new Date(now).toISOString();
    const hlc = this.options.hlc.now();
    const id = ulid(now);
    const movement = {
      id,
      shiftId: shift.id,
      kind: input.direction,
      amount: input.amount,
      reason: input.reason,
      denominations: null,
      cashierName: cashier?.name ?? null,
      at,
      hlc,
    };
    this.options.db.transaction(() => {
      if (input.idempotencyKey === undefined) s.insertMovement.run(movement);
      else s.insertKeyedMovement.run({ ...movement, idempotencyKey: input.idempotencyKey, bodyHash });
      queueSnapshot(s, "cash_movement", id, hlc, movement);
      this.options.register?.enqueue({
        movementId: id,
        direction: input.direction,
        amount: input.amount,
        cashierName: movement.cashierName,
      });
    })();
    // The journal is the truth; the register follows it in the background (register-cash.ts).
    void this.options.register?.drain();
    this.options.log.info(
      { shiftId: shift.id, direction: input.direction, amount: input.amount },
      "cash moved",
    );
    return {
      movementId: id,
      shiftId: shift.id,
      direction: input.direction,
      amount: input.amount,
      at,
      cash: cashSummary(s, shift.id),
    };
  }

  private replay(row: MovementRow, bodyHash: string): TMoveCashOutput {
    if (row.body_hash !== bodyHash) {
      throw new AppError("IDEMPOTENCY_CONFLICT", {
        message: `Idempotency key "${row.idempotency_key}" was already used for a different cash movement (${row.id}). Use a new key for a new movement.`,
        fieldErrors: { idempotencyKey: ["already used with a different body"] },
      });
    }
    return {
      movementId: row.id,
      shiftId: row.shift_id,
      direction: row.kind as "in" | "out",
      amount: row.amount,
      at: row.at,
      cash: cashSummary(this.options.shifts.statements, row.shift_id),
    };
  }
}
