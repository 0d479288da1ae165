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
import { type FiscalDevice, FiscalDeviceError, type ShiftReport } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { AuthService, ResolvedCashier } from "../auth/auth-service.ts";
import type { RegisterCash } from "../cash/register-cash.ts";
import type { HybridLogicalClock } from "../clock/hlc.ts";
import type { BufferDb } from "../db/buffer.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";
import type { FiscalQueue } from "../fiscal/fiscal-queue.ts";
import { waitingReasonFor } from "../fiscal/waiting-reason.ts";
import { withOffset } from "../fiscal/with-offset.ts";
import { newUlid as ulid } from "../ids.ts";
import {
  lastShiftDocument,
  type RegisterShiftDocument,
  SHIFT_CLOSE_DOCUMENT,
  SHIFT_OPEN_DOCUMENT,
} from "./register-shift.ts";
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
  /**
   * Puts the opening float on the fiscal register with a cash in (50), as a cashier does at shift
   * open, so the register's drawer count (money register 241) equals the journal's expected cash;
   * exactly once through register_cash_moves, like cash.move. Absent = journal only.
   */
  register?: RegisterCash;
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
    let report: ShiftReport;
    try {
      report = await this.onDevice((device) => device.openShift(cashier));
    } catch (error) {
      // The register has a shift the agent does not know (a crash after the register opened it):
      // adopt it with this float instead of refusing forever.
      if (!(error instanceof AppError && error.kassaCode === "SHIFT_ALREADY_OPEN")) throw error;
      const outcome = await this.reconcile(input.openingFloat).catch(() => null);
      if (outcome !== "adopted" || !this.openShift) throw error;
      await this.options.register?.drain();
      return shiftView(this.openShift);
    }
    const now = this.options.now();
    this.recordOpen({
      number: report.shiftNumber,
      openedAtMs: now,
      cashierName: cashier.name,
      cashierInn: cashier.inn ?? null,
      openingFloat: input.openingFloat,
      openFd: report.fdNumber,
      floatReason: "opening float",
    });
    this.options.log.info({ shiftId: this.openShift!.id, number: report.shiftNumber }, "shift opened");
    // The float goes on the register before any receipt prints: a cash sale printed in between
    // would change the drawer count its exactly-once check reads. Never throws; a register that
    // cannot take it now gets it from the retry timer or at start-up.
    await this.options.register?.drain();
    // Receipts that waited for a shift print now, in order.
    this.options.queue.resume();
    return shiftView(this.openShift!);
  }

  /** Writes a newly open shift (its row, its float, its snapshot) in one transaction. */
  private recordOpen(o: {
    number: number;
    openedAtMs: number;
    cashierName: string;
    cashierInn: string | null;
    openingFloat: number;
    openFd: number | null;
    floatReason: string;
  }): ShiftRow {
    const now = this.options.now();
    const hlc = this.options.hlc.now();
    const row: ShiftRow = {
      id: ulid(now),
      number: o.number,
      status: "open",
      opened_at: new Date(o.openedAtMs).toISOString(),
      opened_at_ms: o.openedAtMs,
      closed_at: null,
      cashier_name: o.cashierName,
      cashier_inn: o.cashierInn,
      opening_float: o.openingFloat,
      open_fd: o.openFd,
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
      const floatId = ulid(now);
      s.insertMovement.run({
        id: floatId,
        shiftId: row.id,
        kind: "float",
        amount: o.openingFloat,
        reason: o.floatReason,
        denominations: null,
        cashierName: o.cashierName,
        at: row.opened_at,
        hlc,
      });
      // With its journal row: the register owes the float from now on (register-cash.ts), also for
      // a shift adopted from the register (its float row was lost with the shift, so was its cash in).
      if (o.openingFloat > 0) {
        this.options.register?.enqueue({
          movementId: floatId,
          direction: "in",
          amount: o.openingFloat,
          cashierName: o.cashierName,
        });
      }
      queueSnapshot(s, "shift", row.id, hlc, this.snapshot(row));
    })();
    this.openShift = row;
    return row;
  }

  async close(input: TCloseShiftInput): Promise<TCloseShiftOutput> {
    const cashier = this.requireCashier(input.cashier);
    // The register may hold a shift the agent lost in a crash: adopt it so it can be closed.
    if (!this.openShift) await this.reconcile().catch(() => null);
    const shift = this.openShift;
    if (!shift)
      throw new AppError("SHIFT_CLOSED", { message: "No shift is open: there is nothing to close." });
    let report: ShiftReport;
    try {
      report = await this.onDevice((device) => device.closeShift(cashier));
    } catch (error) {
      // The register closed this shift already (a crash after its Z report): record that Z report.
      const cause = error instanceof AppError ? error.cause : null;
      if (!(cause instanceof FiscalDeviceError && cause.kassaCode === "SHIFT_CLOSED")) throw error;
      const found = await this.readRegister().catch(() => null);
      if (!found || found.shiftOpen || !found.doc) throw error;
      report = {
        shiftNumber: found.doc.shiftNumber ?? shift.number,
        fdNumber: found.doc.fdNumber,
        fiscalSign: found.doc.fiscalSign,
        dateTime: found.doc.dateTime,
      };
      this.options.log.warn(
        { shiftId: shift.id, fd: report.fdNumber },
        "shift was already closed on the register: recording its Z report",
      );
    }
    const { closed, cash, counted } = this.recordClose(shift, report, cashier.name, input.countedCash);
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

  /** Writes a closed shift (its row, the counted amount, its snapshot) in one transaction. */
  private recordClose(
    shift: ShiftRow,
    report: ShiftReport,
    cashierName: string,
    countedCash: TCountedCash | undefined,
    closedAtMs: number = this.options.now(),
  ) {
    const now = this.options.now();
    const hlc = this.options.hlc.now();
    const cash = cashSummary(this.statements, shift.id);
    const counted = countedCash === undefined ? null : countedAmount(countedCash);
    const closed: ShiftRow = {
      ...shift,
      status: "closed",
      closed_at: new Date(closedAtMs).toISOString(),
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
            countedCash !== undefined && typeof countedCash === "object"
              ? JSON.stringify(countedCash.denominations)
              : null,
          cashierName,
          at: closed.closed_at,
          hlc,
        });
      }
      queueSnapshot(s, "shift", shift.id, hlc, this.snapshot(closed, cash));
    })();
    this.openShift = null;
    this.options.log.info({ shiftId: shift.id, expected: cash.expected, counted }, "shift closed");
    return { closed, cash, counted };
  }

  /**
   * Makes the agent agree with the register after a crash between the register's report and the
   * SQLite write. Register open, agent closed: the register's shift is adopted (its number and open
   * time from the FN's last shift-open report; float `openingFloat`, 0 when unknown). Agent open,
   * register closed: the agent's shift is closed from the register's Z report (no counted cash).
   * Run at start-up and whenever the register reports the mismatch; device errors propagate.
   */
  reconcile(openingFloat = 0): Promise<"in_sync" | "adopted" | "closed"> {
    // One comparison at a time: a burst of refused receipts must not queue a scan each.
    this.reconciling ??= this.compareWithRegister(openingFloat).finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private reconciling: Promise<"in_sync" | "adopted" | "closed"> | null = null;

  private async compareWithRegister(openingFloat: number): Promise<"in_sync" | "adopted" | "closed"> {
    const found = await this.readRegister();
    if (!found) return "in_sync";
    const local = this.openShift;
    if (found.shiftOpen && !local) {
      const doc = found.doc;
      const fallbackNumber = (this.statements.latest.get()?.number ?? 0) + 1;
      const row = this.recordOpen({
        number: doc?.shiftNumber ?? fallbackNumber,
        openedAtMs: doc?.atMs ?? this.options.now(),
        cashierName: doc?.cashier ?? "unknown (adopted from the register)",
        cashierInn: doc?.cashierInn ?? null,
        openingFloat,
        openFd: doc?.fdNumber ?? null,
        floatReason: "opening float (shift adopted from the register)",
      });
      this.options.log.warn(
        { shiftId: row.id, number: row.number, openFd: row.open_fd },
        "the register had a shift open that the agent did not know (crash after opening?): adopted it; count the drawer",
      );
      this.options.queue.resume();
      return "adopted";
    }
    if (!found.shiftOpen && local) {
      const doc = found.doc;
      const report: ShiftReport = {
        shiftNumber: doc?.shiftNumber ?? local.number,
        fdNumber: doc?.fdNumber ?? 0,
        fiscalSign: doc?.fiscalSign ?? "",
        dateTime: doc?.dateTime ?? new Date(this.options.now()).toISOString(),
      };
      this.recordClose(local, report, local.cashier_name, undefined, doc?.atMs ?? this.options.now());
      this.options.log.warn(
        { shiftId: local.id, number: local.number, closeFd: doc?.fdNumber ?? null },
        "the register had closed the agent's shift (crash after the Z report?): recorded it closed",
      );
      return "closed";
    }
    return "in_sync";
  }

  /** The register's shift state and, on a mismatch with the agent, its last matching report. */
  private readRegister(): Promise<{ shiftOpen: boolean; doc: RegisterShiftDocument | null } | null> {
    return this.options.runner.run(async (device) => {
      const fn = await device.fnStatus();
      if (fn.shiftOpen === (this.openShift !== null)) return null;
      const type = fn.shiftOpen ? SHIFT_OPEN_DOCUMENT : SHIFT_CLOSE_DOCUMENT;
      return { shiftOpen: fn.shiftOpen, doc: await lastShiftDocument(device, fn.lastFdNumber, type) };
    });
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
