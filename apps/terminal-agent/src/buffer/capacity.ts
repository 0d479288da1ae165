import { AppError } from "@kassa/api/errors";
import type { Logger } from "pino";
import type { AgentMetrics } from "../metrics.ts";

export const WARN_FILL = 0.8;

/**
 * The buffer's fill level: outbox items not yet delivered, against the configured capacity.
 * Counting the outbox on every receipt would cost a scan, so the count is cached, bumped on every
 * insert and re-read once a second (the sync worker deletes delivered rows behind our back).
 */
export class BufferCapacity {
  private pending = 0;
  private warned = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly capacity: number,
    private readonly count: () => number,
    private readonly log: Logger,
    private readonly metrics: AgentMetrics,
  ) {
    this.refresh();
  }

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  refresh(): void {
    this.pending = this.count();
    this.update();
  }

  get pendingCount(): number {
    return this.pending;
  }

  get fill(): number {
    return this.capacity === 0 ? 1 : this.pending / this.capacity;
  }

  /** Refuses a new receipt at 100 %: stored receipts are never dropped to make room. */
  assertRoom(items = 1): void {
    if (this.pending + items > this.capacity) {
      this.refresh();
      if (this.pending + items > this.capacity) {
        throw new AppError("BUFFER_FULL", {
          message: `The till's buffer is full (${this.pending} of ${this.capacity} items not yet delivered). No receipt was stored: restore the connection to the central server so it can drain, then retry.`,
          retryAfterSeconds: 30,
        });
      }
    }
  }

  added(items = 1): void {
    this.pending += items;
    this.update();
  }

  private update(): void {
    const fill = this.fill;
    this.metrics.bufferPending.set(this.pending);
    this.metrics.bufferFill.set(fill);
    if (fill >= WARN_FILL && !this.warned) {
      this.warned = true;
      this.log.warn(
        { pending: this.pending, capacity: this.capacity },
        `buffer ${Math.round(fill * 100)} % full: check the connection to the central server`,
      );
    } else if (fill < WARN_FILL) {
      this.warned = false;
    }
  }
}
