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

/** The system clock shifted by an adjustable offset: the CLI's `advance 25h` without waiting a day. */
export class OffsetClock implements Clock {
  offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`"ms" must be a non-negative number, got ${ms}`);
    this.offsetMs += ms;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS };

/** "250ms", "10s", "90m", "25h", "30d" or plain milliseconds → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new TypeError(`"${text}" is not a duration: use e.g. 500ms, 10s, 90m, 25h or 30d`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? "ms"]!);
}
