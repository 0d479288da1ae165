import { AppError } from "../../errors.ts";

export interface AdmissionLimits {
  /** Pushes served at once for one store (its tills share an uplink and a database row range). Default 4. */
  perStore: number;
  /** Pushes served at once by this instance (one Node process: more only adds latency). Default 8. */
  total: number;
  /** How long a push may wait for a free slot before it is told to come back, ms. Default 5,000. */
  maxWaitMs: number;
  /** Pushes allowed to wait at once; beyond that the answer is immediate. Default 256. */
  maxQueue: number;
  /** Upper bound of the "retry after" answer, seconds. Default 30. */
  maxRetryAfterSeconds: number;
}

interface Waiter {
  storeId: string;
  /** Hands the waiter a slot already taken for it. */
  grant(release: () => void): void;
  timer: NodeJS.Timeout;
}

/**
 * Admission control for a reconnect storm: when hundreds of tills come back at once, a bounded
 * number of pushes run, a bounded queue waits briefly for a slot, and everyone else is answered
 * RETRY_LATER with "retry after N s" (estimated from the queue, jittered so they do not return
 * together) instead of the process or the database falling over. Counts are per central instance.
 * Checked before the batch is validated, so a refused push costs almost nothing.
 */
export class AdmissionControl {
  private limits: AdmissionLimits;
  private readonly perStore = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  /** Moving average of a push's service time, ms: the base of the retry-after estimate. */
  private serviceMs = 50;

  constructor(
    limits: Partial<AdmissionLimits> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.limits = {
      perStore: 4,
      total: 8,
      maxWaitMs: 2000,
      maxQueue: 64,
      maxRetryAfterSeconds: 30,
      ...limits,
    };
  }

  /** Changes the limits (operators tune them per deployment; tests and benchmarks tighten them). */
  configure(limits: Partial<AdmissionLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /**
   * Waits for a slot (briefly) or throws RETRY_LATER. Call the returned function when the push is
   * done. `storeId` must be unique fleet-wide (the ingest passes `<organization id>/<store id>`).
   */
  async admit(storeId: string): Promise<() => void> {
    if (this.queue.length === 0 && this.fits(storeId)) return this.take(storeId);
    if (this.limits.maxWaitMs <= 0 || this.queue.length >= this.limits.maxQueue) throw this.refusal(storeId);
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        storeId,
        grant: resolve,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(this.refusal(storeId));
        }, this.limits.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  get active(): number {
    return this.inFlight;
  }

  private fits(storeId: string): boolean {
    return this.inFlight < this.limits.total && (this.perStore.get(storeId) ?? 0) < this.limits.perStore;
  }

  private take(storeId: string): () => void {
    this.perStore.set(storeId, (this.perStore.get(storeId) ?? 0) + 1);
    this.inFlight += 1;
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.serviceMs = this.serviceMs * 0.9 + (performance.now() - started) * 0.1;
      this.inFlight -= 1;
      const left = (this.perStore.get(storeId) ?? 1) - 1;
      if (left <= 0) this.perStore.delete(storeId);
      else this.perStore.set(storeId, left);
      this.wakeNext();
    };
  }

  private wakeNext(): void {
    const index = this.queue.findIndex((w) => this.fits(w.storeId));
    if (index < 0) return;
    const [waiter] = this.queue.splice(index, 1);
    clearTimeout(waiter!.timer);
    // The slot is taken now, so a newcomer cannot slip in before the waiter resumes.
    waiter!.grant(this.take(waiter!.storeId));
  }

  private refusal(storeId: string): AppError {
    const storeFull = (this.perStore.get(storeId) ?? 0) >= this.limits.perStore;
    // Time for the queue ahead to drain, then up to the same again as jitter.
    const drainSeconds = ((this.queue.length + this.inFlight) * this.serviceMs) / this.limits.total / 1000;
    const retryAfterSeconds = Math.min(
      this.limits.maxRetryAfterSeconds,
      Math.max(1, Math.ceil(drainSeconds * (1 + this.random()))),
    );
    return new AppError("RETRY_LATER", {
      message: `The central server is busy with other tills${storeFull ? " of this store" : ""}; retry after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    });
  }
}

/** The process-wide admission control the ingest procedure uses. */
export const ingestAdmission = new AdmissionControl();
