import type {
  TCloseShiftInput,
  TCloseShiftOutput,
  TCountedCash,
  TOpenShiftInput,
  TOpenShiftOutput,
  TShiftStatusOutput,
  TXReportInput,
  TXReportOutput,
} from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import { type FiscalDevice, FiscalDeviceError } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { AuthService, ResolvedCashier } from "../auth/auth-service.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";
import type { FiscalQueue } from "../fiscal/fiscal-queue.ts";
import { waitingReasonFor } from "../fiscal/waiting-reason.ts";
import { withOffset } from "../fiscal/with-offset.ts";
import { newUlid as ulid } from "../ids.ts";
import {
  cashSummary,
  prepareShiftStatements,
  queueSnapshot,
  SHIFT_LIMIT_MS,
  type ShiftRow,
  type ShiftStatements,
  shiftView,
} from "./shift-store.ts";

export interface ShiftServiceOptions {
  db: BufferDb;
  runner: DeviceRunner;
  queue: FiscalQueue;
  auth: AuthService;
  hlc: HybridLogicalClock;
  now: () => number;
  /** Warn this long before the 24 h limit, ms. */
  warnMs: number;
  log: Logger;
}

/** Shifts with the 24 h rule, and the cash journal that belongs to each. */
export class ShiftService {
  readonly statements: ShiftStatements;
  private openShift: ShiftRow | null;

  constructor(private readonly options: ShiftServiceOptions) {
    this.statements = prepareShiftStatements(options.db);
    this.openShift = this.statements.open.get() ?? null;
  }

  /** The open shift a sale goes into; 422 SHIFT_CLOSED / SHIFT_EXPIRED otherwise (nothing is written). */
  assertCanSell(): ShiftRow {
    const shift = this.openShift;
    if (!shift) {
      throw new AppError("SHIFT_CLOSED", {
        message: "No shift is open: open one with shift.open, then retry. The receipt was not saved.",
      });
    }
    if (this.options.now() >= shift.opened_at_ms + SHIFT_LIMIT_MS) {
      throw new AppError("SHIFT_EXPIRED", {
        message: `Shift ${shift.number} has been open for more than 24 hours: close it (shift.close, Z report) and open a new one. The receipt was not saved.`,
      });
    }
    return shift;
  }

  current(): ShiftRow | null {
    return this.openShift;
  }

  async open(input: TOpenShiftInput): Promise<TOpenShiftOutput> {
    const cashier = this.requireCashier(input.cashier);
    if (this.openShift) {
      throw new AppError("SHIFT_ALREADY_OPEN", {
        message: `Shift ${this.openShift.number} is already open${this.expired(this.openShift) ? " and over 24 hours: close it first" : ""}.`,
      });
    }
    const report = await this.onDevice((device) => device.openShift(cashier));
    const now = this.options.now();
    const hlc = this.options.hlc.now();
    const row: ShiftRow = {
      id: ulid(now),
      number: report.shiftNumber,
      status: "open",
      opened_at: new Date(now).toISOString(),
      opened_at_ms: now,
      closed_at: null,
      cashier_name: cashier.name,
      cashier_inn: cashier.inn ?? null,
      opening_float: input.openingFloat,
      open_fd: report.fdNumber,
      close_fd: null,
      close_sign: null,
      counted_cash: null,
      expected_cash: null,
      hlc,
    };
    const s = this.statements;
    this.options.db.transaction(() => {
      s.insert.run({
        id: row.id,
        number: row.number,
        openedAt: row.opened_at,
        openedAtMs: now,
        cashierName: row.cashier_name,
        cashierInn: row.cashier_inn,
        openingFloat: row.opening_float,
        openFd: row.open_fd,
        hlc,
      });
      s.insertMovement.run({
        id: ulid(now),
        shiftId: row.id,
        kind: "float",
        amount: input.openingFloat,
        reason: "opening float",
        denominations: null,
        cashierName: cashier.name,
        at: row.opened_at,
        hlc,
      });
      queueSnapshot(s, "shift", row.id, hlc, this.snapshot(row));
    })();
    this.openShift = row;
    this.options.log.info({ shiftId: row.id, number: row.number }, "shift opened");
    // Receipts that waited for a shift print now, in order.
    this.options.queue.resume();
    return shiftView(row);
  }

  async close(input: TCloseShiftInput): Promise<TCloseShiftOutput> {
    const cashier = this.requireCashier(input.cashier);
    const shift = this.openShift;
    if (!shift)
      throw new AppError("SHIFT_CLOSED", { message: "No shift is open: there is nothing to close." });
    const report = await this.onDevice((device) => device.closeShift(cashier));
    const now = this.options.now();
    const hlc = this.options.hlc.now();
    const cash = cashSummary(this.statements, shift.id);
    const counted = input.countedCash === undefined ? null : countedAmount(input.countedCash);
    const closed: ShiftRow = {
      ...shift,
      status: "closed",
      closed_at: new Date(now).toISOString(),
      close_fd: report.fdNumber,
      close_sign: report.fiscalSign,
      counted_cash: counted,
      expected_cash: cash.expected,
      hlc,
    };
    const s = this.statements;
    this.options.db.transaction(() => {
      s.close.run({
        id: shift.id,
        closedAt: closed.closed_at,
        closeFd: report.fdNumber,
        closeSign: report.fiscalSign,
        countedCash: counted,
        expectedCash: cash.expected,
        hlc,
      });
      if (counted !== null) {
        s.insertMovement.run({
          id: ulid(now),
          shiftId: shift.id,
          kind: "counted",
          amount: counted,
          reason: "counted at close",
          denominations:
            input.countedCash !== undefined && typeof input.countedCash === "object"
              ? JSON.stringify(input.countedCash.denominations)
              : null,
          cashierName: cashier.name,
          at: closed.closed_at,
          hlc,
        });
      }
      queueSnapshot(s, "shift", shift.id, hlc, this.snapshot(closed, cash));
    })();
    this.openShift = null;
    this.options.log.info({ shiftId: shift.id, expected: cash.expected, counted }, "shift closed");
    return {
      shift: shiftView(closed),
      z: {
        shiftNumber: report.shiftNumber,
        fdNumber: report.fdNumber,
        fiscalSign: report.fiscalSign,
        dateTime: withOffset(report.dateTime),
      },
      cash: { ...cash, counted, variance: counted === null ? null : counted - cash.expected },
    };
  }

  async xReport(input: TXReportInput): Promise<TXReportOutput> {
    const cashier = this.requireCashier(input.cashier);
    const shift = this.openShift;
    if (!shift)
      throw new AppError("SHIFT_CLOSED", { message: "No shift is open: open one with shift.open first." });
    await this.onDevice((device) => device.xReport(cashier));
    return { shift: shiftView(shift), cash: cashSummary(this.statements, shift.id) };
  }

  status(): TShiftStatusOutput {
    const shift = this.openShift ?? this.statements.latest.get() ?? null;
    if (!shift)
      return { shift: null, open: false, expired: false, expiresInMs: null, warning: null, cash: null };
    const open = shift.status === "open";
    const expiresInMs = open ? shift.opened_at_ms + SHIFT_LIMIT_MS - this.options.now() : null;
    return {
      shift: shiftView(shift),
      open,
      expired: expiresInMs !== null && expiresInMs <= 0,
      expiresInMs,
      warning: this.warning(expiresInMs),
      cash: cashSummary(this.statements, shift.id),
    };
  }

  /** The 24 h rule in words, or null while there is time. */
  warning(expiresInMs: number | null = this.expiresInMs()): string | null {
    if (expiresInMs === null) return null;
    if (expiresInMs <= 0)
      return "The shift is over 24 hours: close it (Z report) and open a new one to sell again.";
    if (expiresInMs <= this.options.warnMs) {
      return `The shift reaches 24 hours in ${Math.ceil(expiresInMs / 60_000)} min: close it (Z report) before then.`;
    }
    return null;
  }

  expiresInMs(): number | null {
    const shift = this.openShift;
    return shift ? shift.opened_at_ms + SHIFT_LIMIT_MS - this.options.now() : null;
  }

  private expired(shift: ShiftRow): boolean {
    return this.options.now() >= shift.opened_at_ms + SHIFT_LIMIT_MS;
  }

  private requireCashier(ref: TOpenShiftInput["cashier"]): ResolvedCashier {
    return this.options.auth.resolve(ref)!;
  }

  private snapshot(row: ShiftRow, cash?: ReturnType<typeof cashSummary>) {
    return {
      ...shiftView(row),
      openFd: row.open_fd,
      closeFd: row.close_fd,
      countedCash: row.counted_cash,
      expectedCash: row.expected_cash,
      hlc: row.hlc,
      cash: cash ?? null,
    };
  }

  /** Device work for a shift: a device refusal becomes a 422 the cashier can act on. */
  private async onDevice<T>(task: (device: FiscalDevice) => Promise<T>): Promise<T> {
    try {
      return await this.options.runner.run(task);
    } catch (error) {
      if (error instanceof FiscalDeviceError && error.kassaCode === "SHIFT_ALREADY_OPEN") {
        throw new AppError("SHIFT_ALREADY_OPEN", {
          message: "The fiscal register already has an open shift: close it (shift.close) and open again.",
          cause: error,
        });
      }
      const reason = waitingReasonFor(error);
      throw new AppError("DEVICE_UNAVAILABLE", {
        message: reason.message.replace(
          /The receipt is saved and will print[^.]*\.?/,
          "Retry when it is ready.",
        ),
        cause: error,
      });
    }
  }
}

function countedAmount(counted: TCountedCash): number {
  if (typeof counted === "number") return counted;
  return counted.denominations.reduce((sum, d) => sum + d.value * d.count, 0);
}
