import type { TFiscalAttributes, TWaitingReason } from "@kassa/api/agent";
import type { FiscalDevice, FiscalReceipt } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { AgentMetrics } from "../metrics.ts";
import type { DeviceRunner } from "./device-runner.ts";
import { waitingReasonFor } from "./waiting-reason.ts";
import { withOffset } from "./with-offset.ts";

export type FiscalOutcome =
  | { status: "fiscalized"; fiscal: TFiscalAttributes }
  | { status: "waiting_for_device"; waitingReason: TWaitingReason };

/** Where the queue records what the device did; every call is one durable SQLite transaction. */
export interface FiscalStore {
  /** Several receipts at once when the device is fast: one transaction for the lot. */
  markFiscalized(receipts: readonly { receiptId: string; fiscal: TFiscalAttributes }[]): Promise<void>;
  markWaiting(receiptIds: readonly string[], reason: TWaitingReason): void;
  setExpectedFd(receiptId: string, expectedFd: number): void;
  /** Receipts not yet fiscalized, in acceptance order (start-up). */
  loadUnfiscalized(): { id: string; receipt: FiscalReceipt; expectedFd: number | null }[];
}

interface Job {
  id: string;
  receipt: FiscalReceipt;
  expectedFd: number | null;
  /** Printing may have started before (a crash, a timeout, an error): ask the device before printing. */
  needsRecovery: boolean;
  waiters: ((outcome: FiscalOutcome) => void)[];
}

export interface FiscalQueueOptions {
  runner: DeviceRunner;
  store: FiscalStore;
  log: Logger;
  metrics: AgentMetrics;
  /** How often a blocked device is polled, ms. */
  pollMs: number;
}

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
  private printed: { job: Job; fiscal: TFiscalAttributes }[] = [];
  private storeScheduled = false;
  private draining = false;
  private started = false;
  private poll: NodeJS.Timeout | null = null;
  private blockedReason: TWaitingReason | null = null;
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

  /**
   * Start-up: reads the device's last FD and queues every receipt left unfiscalized by the previous
   * run, marked for recovery — never printed again if the device already holds it.
   */
  async start(): Promise<void> {
    for (const row of this.options.store.loadUnfiscalized()) {
      this.enqueue({ ...row, needsRecovery: true, waiters: [] });
    }
    try {
      const fn = await this.options.runner.run(async (device) => {
        const status = await device.status();
        // A document left open by a crash was never closed, so it is not fiscal: cancel it.
        if (status.mode === "document_open") await device.cancelReceipt();
        return device.fnStatus();
      });
      this.lastKnownFd = fn.lastFdNumber;
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
  submit(id: string, receipt: FiscalReceipt, expectedFd: number | null): Promise<FiscalOutcome> {
    const job: Job = { id, receipt, expectedFd, needsRecovery: false, waiters: [] };
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
    this.blockedReason = null;
    this.stopPolling();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopPolling();
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
          fiscal = await this.options.runner.run((device) => this.print(device, job));
        } catch (error) {
          // Whatever happened, the device may hold a document for this receipt: ask before printing again.
          job.needsRecovery = true;
          this.options.metrics.deviceErrors.inc({ code: errorCode(error) });
          this.block(waitingReasonFor(error));
          break;
        } finally {
          this.inFlight = null;
        }
        this.lastKnownFd = Math.max(this.lastKnownFd ?? 0, fiscal.fdNumber);
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

  /**
   * Stores the fiscal attributes of what was printed since the last turn, then answers the POS.
   * The queue goes on printing meanwhile: a crash before this commit is healed on start-up by
   * `recoverReceipt`, which finds the document on the device.
   */
  private async storePrinted(): Promise<void> {
    const printed = this.printed;
    this.printed = [];
    this.storeScheduled = false;
    try {
      await this.options.store.markFiscalized(
        printed.map(({ job, fiscal }) => ({ receiptId: job.id, fiscal })),
      );
    } catch (error) {
      this.options.log.error(
        { err: error },
        "fiscal attributes not stored; start-up recovery will read them from the device",
      );
    }
    for (const { job, fiscal } of printed) {
      this.byId.delete(job.id);
      this.options.metrics.receiptsFiscalized.inc();
      this.options.log.debug({ receiptId: job.id, fdNumber: fiscal.fdNumber }, "receipt fiscalized");
      for (const resolve of job.waiters) resolve({ status: "fiscalized", fiscal });
    }
  }

  private async print(device: FiscalDevice, job: Job): Promise<TFiscalAttributes> {
    if (job.expectedFd === null) {
      const fn = await device.fnStatus();
      this.lastKnownFd = fn.lastFdNumber;
      job.expectedFd = fn.lastFdNumber + 1;
      this.options.store.setExpectedFd(job.id, job.expectedFd);
    }
    if (job.needsRecovery) {
      const status = await device.status();
      if (status.awaitingContinuePrint) await device.continuePrint();
      else if (status.mode === "document_open") await device.cancelReceipt();
      const recovered = await device.recoverReceipt(job.id, job.expectedFd);
      if (recovered.fiscalized) {
        this.options.log.info(
          { receiptId: job.id, fdNumber: recovered.attributes.fdNumber },
          "receipt recovered from the device, not printed again",
        );
        return pickAttributes(recovered.attributes);
      }
      job.needsRecovery = false;
      // Receipts print in order: if this one never reached the device, none queued behind it did.
      for (const later of this.jobs) later.needsRecovery = false;
    }
    return pickAttributes(await device.fiscalizeReceipt(job.receipt));
  }

  private block(reason: TWaitingReason): void {
    this.blockedReason = reason;
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

  /** Is the device ready to print again? Any answer without a blocking condition resumes the queue. */
  private async probe(): Promise<void> {
    if (this.probing || !this.blockedReason) return;
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

function errorCode(error: unknown): string {
  return (error as { kassaCode?: string }).kassaCode ?? "UNKNOWN";
}
