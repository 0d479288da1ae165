import { AppError } from "../../errors.ts";

export interface AdmissionLimits {
  /** Pushes served at once for one store (its tills share an uplink and a database row range). Default 4. */
  perStore: number;
  /** Pushes served at once by this instance. Default 32. */
  total: number;
  /** Upper bound of the "retry after" answer, seconds; the answer is jittered below it. Default 5. */
  maxRetryAfterSeconds: number;
}

/**
 * Admission control for a reconnect storm: when hundreds of tills come back at once, answer the
 * excess with RETRY_LATER ("retry after N s", jittered so they don't return together) instead of
 * queueing them until the database or the process falls over. Counts are per central instance.
 */
export class AdmissionControl {
  private limits: AdmissionLimits;
  private readonly perStore = new Map<string, number>();
  private inFlight = 0;

  constructor(
    limits: Partial<AdmissionLimits> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.limits = { perStore: 4, total: 32, maxRetryAfterSeconds: 5, ...limits };
  }

  /** Changes the limits (operators tune them per deployment; benchmarks tighten them). */
  configure(limits: Partial<AdmissionLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Admits one push or throws RETRY_LATER. Call the returned function when the push is done. */
  admit(storeId: string): () => void {
    const store = this.perStore.get(storeId) ?? 0;
    if (store >= this.limits.perStore || this.inFlight >= this.limits.total) {
      const retryAfterSeconds = 1 + Math.floor(this.random() * this.limits.maxRetryAfterSeconds);
      throw new AppError("RETRY_LATER", {
        message: `The central server is busy with other tills${store >= this.limits.perStore ? " of this store" : ""}; retry after ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      });
    }
    this.perStore.set(storeId, store + 1);
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      const left = (this.perStore.get(storeId) ?? 1) - 1;
      if (left <= 0) this.perStore.delete(storeId);
      else this.perStore.set(storeId, left);
    };
  }

  get active(): number {
    return this.inFlight;
  }
}

/** The process-wide admission control the ingest procedure uses. */
export const ingestAdmission = new AdmissionControl();
