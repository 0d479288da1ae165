/**
 * The emulator's sense of time. Everything time-based in the emulator (the 24 h shift rule, the
 * 30-day unsent rule, document dates, print time) reads `now()` from here, so tests drive it with a
 * fake clock instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  private ms: number;

  constructor(start: Date | string | number = "2026-01-15T09:00:00Z") {
    this.ms = new Date(start).getTime();
    if (Number.isNaN(this.ms)) throw new TypeError(`"start" must be a valid date, got ${String(start)}`);
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`"ms" must be a non-negative number, got ${ms}`);
    this.ms += ms;
  }

  set(to: Date | string | number): void {
    const ms = new Date(to).getTime();
    if (Number.isNaN(ms)) throw new TypeError(`"to" must be a valid date, got ${String(to)}`);
    this.ms = ms;
  }
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
