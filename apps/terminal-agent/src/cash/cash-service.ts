import type { TMoveCashInput, TMoveCashOutput } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import type { Logger } from "pino";
import type { AuthService } from "../auth/auth-service.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import { newUlid as ulid } from "../ids.ts";
import type { ShiftService } from "../shift/shift-service.ts";
import { cashSummary, queueSnapshot } from "../shift/shift-store.ts";

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
    },
  ) {}

  move(input: TMoveCashInput): TMoveCashOutput {
    const cashier = this.options.auth.resolve(input.cashier);
    const shift = this.options.shifts.current();
    if (!shift) {
      throw new AppError("SHIFT_CLOSED", {
        message: "No shift is open: cash moves belong to a shift. Open one with shift.open.",
      });
    }
    const s = this.options.shifts.statements;
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
      s.insertMovement.run(movement);
      queueSnapshot(s, "cash_movement", id, hlc, movement);
    })();
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
}
