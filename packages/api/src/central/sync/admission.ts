import { randomUUID } from "node:crypto";
import { AppError } from "../../errors.ts";
import type { SlotAttempt, StoreKey, StoreSlots } from "./admission-slots.ts";

export interface AdmissionLimits {
  /**
   * Pushes served at once for one store (its tills share an uplink and a database row range), by
   * all central instances together. Default 4.
   */
  perStore: number;
  /** Pushes served at once by this instance (one Node process: more only adds latency). Default 8. */
  total: number;
  /** How long a push may wait for a free slot before it is told to come back, ms. Default 2,000. */
  maxWaitMs: number;
  /** Pushes allowed to wait at once; beyond that the answer is immediate. Default 64. */
  maxQueue: number;
  /** Upper bound of the "retry after" answer, seconds. Default 30. */
  maxRetryAfterSeconds: number;
  /**
   * Life of a shared per-store slot, ms, renewed while its push runs: how long the slots of a
   * crashed instance stay taken. Default 30,000.
   */
  slotTtlMs: number;
  /** How often a waiting push looks again for a slot another instance may have freed, ms. Default 100. */
  pollMs: number;
}

export type ReleaseSlot = () => Promise<void>;

interface Waiter {
  key: string;
  /** Resumes the waiter to look for a slot again. */
  wake(): void;
  expired: boolean;
  /** Its store's slots were all held (by any instance) at its last attempt. */
  storeFull: boolean;
}

/**
 * Admission control for a reconnect storm: when hundreds of tills come back at once, a bounded
 * number of pushes run, a bounded queue waits briefly for a slot, and everyone else is answered
 * RETRY_LATER with "retry after N s" (estimated from the queue, jittered so they do not return
 * together) instead of the process or the database falling over. Checked before the batch is
 * validated, so a refused push costs almost nothing.
 *
 * The per-instance limit is counted here (it protects this process). The per-store limit protects
 * the store's uplink and rows, which every instance shares: it is counted here first (so a full
 * store costs no query) and then in `shared` (PostgreSQL, see admission-slots.ts), so it holds
 * across any number of central instances.
 */
export class AdmissionControl {
  private limits: AdmissionLimits;
  /** This instance's pushes in flight per store (`<organization id>/<store id>`). */
  private readonly perStore = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  /** Moving average of a push's service time, ms: the base of the retry-after estimate. */
  private serviceMs = 50;
  /**
   * Until when (epoch ms) this instance's slots are already promised to the pushes it told to come
   * back: each refusal is booked a push's share of the slots after the previous one.
   */
  private bookedUntilMs = 0;
  /** The same per store, for refusals because the store's own slots were full. */
  private readonly storeBookedUntilMs = new Map<string, number>();

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
      slotTtlMs: 30_000,
      pollMs: 100,
      ...limits,
    };
  }

  /** Changes the limits (operators tune them per deployment; tests and benchmarks tighten them). */
  configure(limits: Partial<AdmissionLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /**
   * Waits for a slot (briefly) or throws RETRY_LATER. Await the returned function when the push is
   * done. `shared` holds the store's slots across instances (null: this instance alone counts).
   */
  async admit(store: StoreKey, shared: StoreSlots | null = null): Promise<ReleaseSlot> {
    const key = `${store.organizationId}/${store.storeId}`;
    // A newcomer goes first only if no waiter could use the slot (one whose store is full
    // everywhere cannot, so it does not hold other stores back).
    let storeFull = false;
    if (!this.queue.some((w) => !w.storeFull && this.fits(w.key)) && this.fits(key)) {
      const release = await this.tryTake(store, key, shared);
      if (release) return release;
      storeFull = true;
    }
    if (this.limits.maxWaitMs <= 0 || this.queue.length >= this.limits.maxQueue) {
      throw this.refusal(key, storeFull);
    }
    return this.wait(store, key, shared, storeFull);
  }

  get active(): number {
    return this.inFlight;
  }

  private fits(key: string): boolean {
    return this.inFlight < this.limits.total && (this.perStore.get(key) ?? 0) < this.limits.perStore;
  }

  private async wait(
    store: StoreKey,
    key: string,
    shared: StoreSlots | null,
    storeFull: boolean,
  ): Promise<ReleaseSlot> {
    const waiter: Waiter = { key, wake: () => {}, expired: false, storeFull };
    this.queue.push(waiter);
    const deadline = setTimeout(() => {
      waiter.expired = true;
      waiter.wake();
    }, this.limits.maxWaitMs);
    try {
      for (;;) {
        let poll: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiter.wake = resolve;
          // Another instance frees its slots without telling this one: look again now and then.
          poll = setTimeout(resolve, this.limits.pollMs);
        });
        clearTimeout(poll);
        if (waiter.expired) throw this.refusal(key, waiter.storeFull);
        if (!this.fits(key)) continue;
        const release = await this.tryTake(store, key, shared);
        if (release) return release;
        waiter.storeFull = true;
      }
    } finally {
      clearTimeout(deadline);
      this.queue.splice(this.queue.indexOf(waiter), 1);
    }
  }

  /** Takes the slot here, then the shared one; null (nothing held) if the store is full elsewhere. */
  private async tryTake(
    store: StoreKey,
    key: string,
    shared: StoreSlots | null,
  ): Promise<ReleaseSlot | null> {
    // Counted before the query, so pushes arriving meanwhile see this one.
    this.perStore.set(key, (this.perStore.get(key) ?? 0) + 1);
    this.inFlight += 1;
    const holder = randomUUID();
    let renewal: NodeJS.Timeout | undefined;
    if (shared) {
      let attempt: SlotAttempt;
      try {
        attempt = await shared.take(store, this.limits.perStore, holder, this.limits.slotTtlMs);
      } catch (error) {
        this.untake(key);
        throw error;
      }
      if (attempt === "full") {
        this.untake(key);
        return null;
      }
      const ttlMs = this.limits.slotTtlMs;
      // A push outliving the slot's expiry would let another instance over the limit: extend it.
      renewal = setInterval(() => void shared.renew(store, holder, ttlMs).catch(() => {}), ttlMs / 2);
      renewal.unref();
    }
    const started = performance.now();
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      this.serviceMs = this.serviceMs * 0.9 + (performance.now() - started) * 0.1;
      // The shared slot goes first, so a local waiter woken below finds it free. A failed delete
      // (database gone) must not fail a push already stored: the slot then frees at its expiry.
      await shared?.release(store, holder).catch(() => {});
      this.untake(key);
    };
  }

  private untake(key: string): void {
    this.inFlight -= 1;
    const left = (this.perStore.get(key) ?? 1) - 1;
    if (left <= 0) this.perStore.delete(key);
    else this.perStore.set(key, left);
    // Every waiter that fits now looks again, in queue order (each re-checks when it resumes).
    for (const waiter of this.queue) if (this.fits(waiter.key)) waiter.wake();
  }

  private refusal(key: string, storeFullElsewhere: boolean): AppError {
    const storeFull = storeFullElsewhere || (this.perStore.get(key) ?? 0) >= this.limits.perStore;
    // The push's turn: after the queue ahead drains and after every push already told to come
    // back, within its own share of the slots (serviceMs / slots). Drawing "queue drain ×
    // (1 + random)" instead ignored the tills already sent away: they came back in waves, mostly
    // too early (refused again: each refusal costs the till a batch and us its body), and at a
    // storm's tail late, with the slots idle meanwhile (admission.test.ts: the storm below).
    // A full store is served by its own slots: its tills queue behind each other, not the fleet.
    const now = Date.now();
    const shareMs = this.serviceMs / (storeFull ? this.limits.perStore : this.limits.total);
    const ahead = storeFull
      ? this.queue.filter((w) => w.key === key).length + (this.perStore.get(key) ?? 0)
      : this.queue.length + this.inFlight;
    const booked = storeFull ? (this.storeBookedUntilMs.get(key) ?? 0) : this.bookedUntilMs;
    // The push's share is booked whole; its turn falls at random within it (the jitter). A turn
    // beyond the longest retry-after books nothing: that push is told the longest and booked when
    // it is back (booking it at the cap would pile every later push there, all back at once).
    const base = Math.max(now + ahead * shareMs, booked);
    const capMs = now + this.limits.maxRetryAfterSeconds * 1000;
    const turnMs = Math.min(base + shareMs * this.random(), capMs);
    if (base + shareMs <= capMs) {
      if (!storeFull) this.bookedUntilMs = base + shareMs;
      else {
        // Bookings in the past promise nothing: dropped so the map stays as small as the storm.
        for (const [store, until] of this.storeBookedUntilMs)
          if (until <= now) this.storeBookedUntilMs.delete(store);
        this.storeBookedUntilMs.set(key, base + shareMs);
      }
    }
    const retryAfterSeconds = Math.min(
      this.limits.maxRetryAfterSeconds,
      Math.max(1, Math.ceil((turnMs - now) / 1000)),
    );
    return new AppError("RETRY_LATER", {
      message: `The central server is busy with other tills${storeFull ? " of this store" : ""}; retry after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    });
  }
}

/** The process-wide admission control the ingest procedure uses. */
export const ingestAdmission = new AdmissionControl();
