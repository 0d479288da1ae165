import type { TFiscalAttributes, TWaitingReason } from "@kassa/api/agent";
import { type FiscalDevice, FiscalDeviceError, type FiscalReceipt } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { AgentMetrics } from "../metrics.ts";
import type { RumSink } from "../rum.ts";
import {
  attentionReasonFor,
  DEVICE_REFUSES_ALL,
  isContentRefusal,
  refusesAllReason,
} from "./content-refusal.ts";
import type { DeviceRunner } from "./device-runner.ts";
import { waitingReasonFor } from "./waiting-reason.ts";
import { withOffset } from "./with-offset.ts";

export type FiscalOutcome =
  | { status: "fiscalized"; fiscal: TFiscalAttributes }
  | { status: "waiting_for_device"; waitingReason: TWaitingReason }
  | { status: "needs_attention"; attentionReason: TWaitingReason };

/** Where the queue records what the device did; every call is one durable SQLite transaction. */
export interface FiscalStore {
  /** Several receipts at once when the device is fast: one transaction for the lot. */
  markFiscalized(receipts: readonly { receiptId: string; fiscal: TFiscalAttributes }[]): Promise<void>;
  markWaiting(receiptIds: readonly string[], reason: TWaitingReason): void;
  /** The receipt leaves the queue for support, with the register's reason (and its outbox row). */
  markNeedsAttention(receiptId: string, reason: TWaitingReason): void;
  /** `fnNumber`: the FN whose numbering `expectedFd` counts on (null when not known). */
  setExpectedFd(receiptId: string, expectedFd: number, fnNumber: string | null): void;
  /** Receipts still to print, in acceptance order (start-up); never those set aside or voided. */
  loadUnfiscalized(): {
    id: string;
    receipt: FiscalReceipt;
    expectedFd: number | null;
    expectedFn: string | null;
  }[];
}

interface Job {
  id: string;
  receipt: FiscalReceipt;
  expectedFd: number | null;
  /** The FN whose numbering `expectedFd` is on: after an FN swap the numbers restart from 1. */
  expectedFn: string | null;
  /** Printing may have started before (a crash, a timeout, an error): ask the device before printing. */
  needsRecovery: boolean;
  /** FNs on which a print of this receipt may have started without an answer ("?" = not known). */
  attemptedOn: Set<string>;
  /** Receipts behind this one whose device lookup was skipped because this one was not on the device. */
  clearedBehind: Job[];
  waiters: ((outcome: FiscalOutcome) => void)[];
}

interface Printed {
  job: Job;
  fiscal: TFiscalAttributes;
}

/** A failed write of fiscal attributes is retried after 100 ms, doubling up to 5 s between tries. */
export const STORE_RETRY_FIRST_MS = 100;
export const STORE_RETRY_MAX_MS = 5_000;

/** Recovery found no document on the current FN, but a print may have started on one since removed. */
class UnverifiableAfterFnSwap extends Error {
  constructor(
    readonly receiptId: string,
    readonly previousFn: string,
    readonly currentFn: string,
  ) {
    super(
      `The fiscal drive was replaced (FN ${previousFn === "?" ? "unknown" : previousFn} → ${currentFn}) while receipt ${receiptId} may have been printing on the old one. It is not on the new FN; Kassa will not print it again in case the old FN holds it. Support: check the old FN's archive, then void the receipt or sell it again.`,
    );
  }
}

export interface FiscalQueueOptions {
  runner: DeviceRunner;
  store: FiscalStore;
  log: Logger;
  metrics: AgentMetrics;
  /** How often a blocked device is polled, ms. */
  pollMs: number;
  /**
   * The brake on content refusals: this many different receipts refused for their content in a
   * row, with no print between, is taken for a misconfigured register, and the queue waits in
   * order (`DEVICE_REFUSES_ALL`) instead of setting the next ones aside. Default 3.
   */
  refusalBrake?: number;
  /** RUM: `printer.duration` per receipt, `device.event` when the queue blocks and resumes. */
  rum?: RumSink;
}

/** See `FiscalQueueOptions.refusalBrake`: one odd receipt, or two, is not a misconfigured register. */
export const DEFAULT_REFUSAL_BRAKE = 3;

/**
 * Prints receipts on the fiscal register one at a time, in acceptance order, each exactly once.
 *
 * Exactly once: before a receipt is printed its expected FD number (a lower bound: the device's last
 * FD + 1 when it was accepted) is stored; any receipt whose printing may have started — after a crash,
 * a timeout or a device error — is first looked up on the device with `recoverReceipt`, and printed
 * only if the device has no document carrying its id. In order: when the device cannot print, the
 * queue blocks, every queued receipt is answered `waiting_for_device` with the reason, and a timer
 * polls the device until it can print again.
 */
export class FiscalQueue {
  private readonly jobs: Job[] = [];
  private readonly byId = new Map<string, Job>();
  /** Printed, attributes not yet stored: written together on the next turn. */
  private printed: Printed[] = [];
  private storeScheduled = false;
  /** Printed and answered, but the write of their attributes failed: retried with backoff. */
  private unstored: Printed[] = [];
  private readonly unstoredById = new Map<string, TFiscalAttributes>();
  private storeRetry: NodeJS.Timeout | null = null;
  private storeFailures = 0;
  /** The FN the device holds, as last read; `fnVerified` is false after any device error (it may have been swapped). */
  private currentFn: string | null = null;
  private fnVerified = false;
  private draining = false;
  private started = false;
  private poll: NodeJS.Timeout | null = null;
  private blockedReason: TWaitingReason | null = null;
  /** Receipts refused for their content since the last print (the brake counts them, each once). */
  private readonly refusedInARow = new Set<string>();
  /** The receipt on the device right now. */
  inFlight: string | null = null;
  /** Highest FD number the device is known to have issued. */
  lastKnownFd: number | null = null;

  constructor(private readonly options: FiscalQueueOptions) {}

  get waitingReason(): TWaitingReason | null {
    return this.blockedReason;
  }

  get queued(): number {
    return this.jobs.length;
  }

  /** Lower bound of the FD number the next accepted receipt will get, or null if the device has not been read yet. */
  nextFdLowerBound(): number | null {
    return this.lastKnownFd === null ? null : this.lastKnownFd + 1;
  }

  /** The fiscal attributes of a receipt printed and answered whose write has not succeeded yet. */
  unstoredFiscal(id: string): TFiscalAttributes | undefined {
    return this.unstoredById.get(id);
  }

  /**
   * Start-up: reads the device's last FD and queues every receipt left unfiscalized by the previous
   * run, marked for recovery — never printed again if the device already holds it.
   */
  async start(): Promise<void> {
    for (const row of this.options.store.loadUnfiscalized()) {
      // The previous run may have been printing it on whichever FN was in then.
      this.enqueue({
        ...row,
        needsRecovery: true,
        attemptedOn: new Set([row.expectedFn ?? "?"]),
        clearedBehind: [],
        waiters: [],
      });
    }
    try {
      const fn = await this.options.runner.run(async (device) => {
        const status = await device.status();
        // A document left open by a crash was never closed, so it is not fiscal: cancel it.
        if (status.mode === "document_open") await device.cancelReceipt();
        return device.fnStatus();
      });
      this.noteFn(fn.fnNumber, fn.lastFdNumber);
      this.fnVerified = true;
    } catch (error) {
      if (this.jobs.length > 0) this.block(waitingReasonFor(error));
      else
        this.options.log.warn(
          { err: error },
          "fiscal register not reachable at start-up; receipts will wait",
        );
    }
    this.started = true;
    this.kick();
  }

  /** Queues an accepted receipt; resolves when it is printed or known to wait. */
  submit(
    id: string,
    receipt: FiscalReceipt,
    expectedFd: number | null,
    expectedFn: string | null = expectedFd === null ? null : this.currentFn,
  ): Promise<FiscalOutcome> {
    const job: Job = {
      id,
      receipt,
      expectedFd,
      expectedFn: expectedFd === null ? null : expectedFn,
      needsRecovery: false,
      attemptedOn: new Set(),
      clearedBehind: [],
      waiters: [],
    };
    this.enqueue(job);
    if (this.blockedReason) {
      this.options.store.markWaiting([id], this.blockedReason);
      return Promise.resolve({ status: "waiting_for_device", waitingReason: this.blockedReason });
    }
    const outcome = new Promise<FiscalOutcome>((resolve) => job.waiters.push(resolve));
    this.kick();
    return outcome;
  }

  /** Waits for a queued receipt's next outcome (an idempotent retry of a receipt still printing). */
  waitFor(id: string): Promise<FiscalOutcome> | null {
    const job = this.byId.get(id);
    if (!job || this.blockedReason) return null;
    return new Promise<FiscalOutcome>((resolve) => job.waiters.push(resolve));
  }

  /** The device is ready again (paper loaded, shift reopened): print what waits, in order. */
  resume(): void {
    if (!this.blockedReason) return;
    this.options.log.info({ reason: this.blockedReason.kassaCode }, "fiscal register ready again");
    this.options.rum?.event("device.event", 1, "count", {
      event: "resumed",
      reason: this.blockedReason.kassaCode,
    });
    this.blockedReason = null;
    this.stopPolling();
    this.kick();
  }

  /** The FN the next accepted receipt's expected FD counts on (see `nextFdLowerBound`). */
  get fnNumber(): string | null {
    return this.currentFn;
  }

  async stop(): Promise<void> {
    this.stopPolling();
    if (this.storeRetry) clearTimeout(this.storeRetry);
    this.storeRetry = null;
    this.started = false;
  }

  private enqueue(job: Job): void {
    this.jobs.push(job);
    this.byId.set(job.id, job);
  }

  private kick(): void {
    if (!this.draining && this.started && !this.blockedReason && this.jobs.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.started && !this.blockedReason && this.jobs.length > 0) {
        const job = this.jobs[0]!;
        this.inFlight = job.id;
        let fiscal: TFiscalAttributes;
        try {
          fiscal = await this.options.runner.run((device) => this.timedPrint(device, job));
        } catch (error) {
          this.options.metrics.deviceErrors.inc({ code: errorCode(error) });
          if (error instanceof UnverifiableAfterFnSwap) {
            this.setAside(job, { kassaCode: "FN_REPLACED", message: error.message });
            continue;
          }
          let reason: TWaitingReason | null = null;
          if (isContentRefusal(error)) {
            // No document was made (a certain answer), but the receipts behind this one may have
            // been printed by a previous run that set it aside: they get their device lookup back.
            for (const later of job.clearedBehind) later.needsRecovery = true;
            this.refusedInARow.add(job.id);
            const refusals = this.refusedInARow.size;
            if (refusals < (this.options.refusalBrake ?? DEFAULT_REFUSAL_BRAKE)) {
              // This receipt's data, not the register: the receipts behind it print now instead of
              // waiting for support.
              this.setAside(job, attentionReasonFor(error));
              continue;
            }
            // The brake: the register refuses every receipt, so it is a device state. This one
            // stays at the head and the queue waits in order; the probe retries printing it.
            reason = refusesAllReason(refusals, error);
          }
          // Whatever happened, the device may hold a document for this receipt: ask before printing again.
          job.needsRecovery = true;
          // Only an uncertain answer may hide a document; a certain refusal (FN full, paper out
          // before FF45) made none, so it must not set the receipt aside if the FN is swapped next.
          if (mayHaveMadeDocument(error)) job.attemptedOn.add(this.currentFn ?? "?");
          // The device may have been off, so its FN may have been swapped: read it before the next print.
          this.fnVerified = false;
          this.block(reason ?? waitingReasonFor(error));
          break;
        } finally {
          this.inFlight = null;
        }
        this.noteFn(fiscal.fnNumber, Math.max(fiscal.fdNumber, this.lastKnownFd ?? 0));
        // The register printed (or already held) a receipt: the refusals before were the receipts'.
        this.refusedInARow.clear();
        this.jobs.shift();
        this.printed.push({ job, fiscal });
        if (!this.storeScheduled) {
          this.storeScheduled = true;
          setImmediate(() => void this.storePrinted());
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** A receipt the register will never print as it is: out of the queue, to support, POS told. */
  private setAside(job: Job, reason: TWaitingReason): void {
    this.jobs.shift();
    this.byId.delete(job.id);
    try {
      this.options.store.markNeedsAttention(job.id, reason);
    } catch (error) {
      // Not recorded: the next start-up queues it again and the register refuses it again.
      this.options.log.error(
        { err: error, receiptId: job.id },
        "could not record a receipt needing attention",
      );
    }
    this.options.log.warn(
      { receiptId: job.id, reason: reason.kassaCode },
      `receipt set aside for support: ${reason.message}`,
    );
    for (const resolve of job.waiters.splice(0))
      resolve({ status: "needs_attention", attentionReason: reason });
  }

  /** The FN seen on the device; a new number means a swapped drive whose numbering restarted. */
  private noteFn(fnNumber: string, lastFd: number): void {
    if (this.currentFn !== null && fnNumber !== this.currentFn) {
      this.options.log.warn(
        { previousFn: this.currentFn, fnNumber, lastFd },
        "the fiscal drive (FN) was replaced: document numbers restart on the new one",
      );
      this.lastKnownFd = lastFd;
    } else {
      this.lastKnownFd = Math.max(this.lastKnownFd ?? 0, lastFd);
    }
    this.currentFn = fnNumber;
  }

  /**
   * Stores the fiscal attributes of what was printed since the last turn, then answers the POS.
   * The queue goes on printing meanwhile: a crash before this commit is healed on start-up by
   * `recoverReceipt`, which finds the document on the device. A failed write is retried at once
   * (with backoff), not left for the next start-up; the answer stands meanwhile (the FN holds it).
   */
  private async storePrinted(): Promise<void> {
    const printed = this.printed;
    this.printed = [];
    this.storeScheduled = false;
    const stored = await this.tryStore(printed);
    for (const { job, fiscal } of printed) {
      this.byId.delete(job.id);
      this.options.metrics.receiptsFiscalized.inc();
      this.options.log.debug({ receiptId: job.id, fdNumber: fiscal.fdNumber }, "receipt fiscalized");
      for (const resolve of job.waiters) resolve({ status: "fiscalized", fiscal });
    }
    if (!stored) this.keepForRetry(printed);
  }

  private async tryStore(printed: readonly Printed[]): Promise<boolean> {
    try {
      await this.options.store.markFiscalized(
        printed.map(({ job, fiscal }) => ({ receiptId: job.id, fiscal })),
      );
      return true;
    } catch (error) {
      this.options.log.error(
        { err: error, receipts: printed.length, failures: this.storeFailures + 1 },
        "fiscal attributes not stored; retrying shortly (the FN holds them)",
      );
      return false;
    }
  }

  private keepForRetry(printed: readonly Printed[]): void {
    for (const p of printed) {
      this.unstored.push(p);
      this.unstoredById.set(p.job.id, p.fiscal);
    }
    if (this.storeRetry || !this.started) return;
    const delay = Math.min(STORE_RETRY_MAX_MS, STORE_RETRY_FIRST_MS * 2 ** this.storeFailures);
    this.storeFailures++;
    this.storeRetry = setTimeout(() => void this.retryStore(), delay);
    this.storeRetry.unref();
  }

  private async retryStore(): Promise<void> {
    this.storeRetry = null;
    const batch = this.unstored;
    this.unstored = [];
    if (await this.tryStore(batch)) {
      this.storeFailures = 0;
      for (const { job } of batch) this.unstoredById.delete(job.id);
      this.options.log.info({ receipts: batch.length }, "fiscal attributes stored after a retry");
      return;
    }
    for (const { job } of batch) this.unstoredById.delete(job.id);
    this.keepForRetry(batch);
  }

  /** `print` measured on the register itself (not the wait behind status polls): `printer.duration`. */
  private async timedPrint(device: FiscalDevice, job: Job): Promise<TFiscalAttributes> {
    const rum = this.options.rum;
    if (!rum) return this.print(device, job);
    const started = performance.now();
    let outcome = "error";
    try {
      const fiscal = await this.print(device, job);
      outcome = "printed";
      return fiscal;
    } finally {
      rum.measure("printer.duration", performance.now() - started, "ms", { outcome });
    }
  }

  private async print(device: FiscalDevice, job: Job): Promise<TFiscalAttributes> {
    if (!this.fnVerified || job.expectedFd === null) {
      const fn = await device.fnStatus();
      this.noteFn(fn.fnNumber, fn.lastFdNumber);
      this.fnVerified = true;
      if (job.expectedFd === null) {
        job.expectedFd = fn.lastFdNumber + 1;
        job.expectedFn = fn.fnNumber;
        this.options.store.setExpectedFd(job.id, job.expectedFd, job.expectedFn);
      }
    }
    if (job.needsRecovery) {
      const status = await device.status();
      if (status.awaitingContinuePrint) await device.continuePrint();
      else if (status.mode === "document_open") await device.cancelReceipt();
      // The expected FD counts on the FN it was read from. A different FN number, or an expected
      // number beyond this FN's last document + 1 (impossible on one FN), means the drive was
      // swapped: its numbering restarted, so look from its first document.
      const fnSwapped =
        (job.expectedFn !== null && job.expectedFn !== this.currentFn) ||
        job.expectedFd > (this.lastKnownFd ?? 0) + 1;
      const recovered = await device.recoverReceipt(job.id, fnSwapped ? 1 : job.expectedFd);
      if (recovered.fiscalized) {
        this.options.log.info(
          { receiptId: job.id, fdNumber: recovered.attributes.fdNumber },
          "receipt recovered from the device, not printed again",
        );
        return pickAttributes(recovered.attributes);
      }
      const removed = [...job.attemptedOn].find((fn) => fn !== this.currentFn);
      if (fnSwapped && removed !== undefined) {
        throw new UnverifiableAfterFnSwap(job.id, removed, this.currentFn ?? "?");
      }
      if (fnSwapped) {
        // From now on this receipt's lower bound is on the new FN's numbering.
        job.expectedFd = (this.lastKnownFd ?? 0) + 1;
        job.expectedFn = this.currentFn;
        this.options.store.setExpectedFd(job.id, job.expectedFd, job.expectedFn);
      }
      job.needsRecovery = false;
      job.attemptedOn.clear();
      // Receipts print in order: if this one never reached the device, none queued behind it did —
      // unless the previous run set this one aside and lost that write; so a content refusal of it
      // next gives the receipts behind it their lookup back (drain).
      job.clearedBehind = this.jobs.filter((later) => later !== job && later.needsRecovery);
      for (const later of job.clearedBehind) later.needsRecovery = false;
    }
    return pickAttributes(await device.fiscalizeReceipt(job.receipt));
  }

  private block(reason: TWaitingReason): void {
    this.blockedReason = reason;
    this.options.rum?.event("device.event", 1, "count", { event: "blocked", reason: reason.kassaCode });
    const ids = this.jobs.map((job) => job.id);
    this.options.store.markWaiting(ids, reason);
    this.options.log.warn({ reason: reason.kassaCode, waiting: ids.length }, reason.message);
    for (const job of this.jobs) {
      const waiters = job.waiters.splice(0);
      for (const resolve of waiters) resolve({ status: "waiting_for_device", waitingReason: reason });
    }
    this.startPolling();
  }

  private startPolling(): void {
    if (this.poll) return;
    this.poll = setInterval(() => void this.probe(), this.options.pollMs);
    this.poll.unref();
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private probing = false;

  /**
   * Is the device ready to print again? Any answer without a blocking condition resumes the queue.
   * A register refusing every receipt's content answers its status as ready, so only printing can
   * tell: that wait resumes straight away and the head receipt is tried again (recovery first, as
   * after any device error); a refusal blocks the queue again until the next poll.
   */
  private async probe(): Promise<void> {
    if (this.probing || !this.blockedReason) return;
    if (this.blockedReason.kassaCode === DEVICE_REFUSES_ALL) {
      this.resume();
      return;
    }
    this.probing = true;
    try {
      const ready = await this.options.runner.run(async (device) => {
        const status = await device.status();
        if (status.awaitingContinuePrint && status.paperPresent) await device.continuePrint();
        return (
          status.paperPresent &&
          status.mode !== "shift_expired" &&
          this.blockedReason?.kassaCode !== "SHIFT_CLOSED"
        );
      });
      if (ready) this.resume();
    } catch {
      // Still unavailable: keep waiting, the reason stands.
    } finally {
      this.probing = false;
    }
  }
}

function pickAttributes(a: TFiscalAttributes): TFiscalAttributes {
  return {
    fdNumber: a.fdNumber,
    fiscalSign: a.fiscalSign,
    fnNumber: a.fnNumber,
    shiftNumber: a.shiftNumber,
    dateTime: withOffset(a.dateTime),
  };
}

/** The device's answer leaves open whether a fiscal document was made (anything but a certain device error). */
function mayHaveMadeDocument(error: unknown): boolean {
  return !(error instanceof FiscalDeviceError) || error.uncertain;
}

function errorCode(error: unknown): string {
  return (error as { kassaCode?: string }).kassaCode ?? "UNKNOWN";
}
