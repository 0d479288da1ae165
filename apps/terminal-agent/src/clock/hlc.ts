/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): wall-clock milliseconds
 * plus a counter, so receipts are totally ordered per terminal even when the wall clock steps back.
 * Encoded as the central schema's sortable string "<wall ms, 13 digits>.<counter, 5 digits>".
 */
export interface HlcTimestamp {
  wallMs: number;
  counter: number;
}

const MAX_COUNTER = 99_999;

export class ClockDriftError extends Error {
  override readonly name = "ClockDriftError";
  readonly driftMs: number;
  constructor(driftMs: number, maxDriftMs: number) {
    super(
      `A remote clock is ${driftMs} ms ahead of this till (limit ${maxDriftMs} ms): its timestamp is refused. Check the till's or the server's time (NTP).`,
    );
    this.driftMs = driftMs;
  }
}

export function formatHlc(ts: HlcTimestamp): string {
  return `${String(ts.wallMs).padStart(13, "0")}.${String(ts.counter).padStart(5, "0")}`;
}

export function parseHlc(value: string): HlcTimestamp {
  const match = /^(\d{13})\.(\d{5})$/.exec(value);
  if (!match) throw new TypeError(`"hlc" must look like 1732254900000.00000, got ${JSON.stringify(value)}`);
  return { wallMs: Number(match[1]), counter: Number(match[2]) };
}

export class HybridLogicalClock {
  private wallMs = 0;
  private counter = 0;

  /**
   * @param wallClock epoch ms (injected so tests step time back and forth)
   * @param maxDriftMs drift guard: a remote timestamp further ahead than this is refused, so one bad
   *   clock cannot drag every till's HLC into the future. Default 60 s.
   */
  constructor(
    private readonly wallClock: () => number = Date.now,
    readonly maxDriftMs = 60_000,
  ) {}

  /** Continues after a restart from the highest timestamp already stored. */
  restore(latest: string | null | undefined): void {
    if (!latest) return;
    const ts = parseHlc(latest);
    if (ts.wallMs > this.wallMs || (ts.wallMs === this.wallMs && ts.counter > this.counter)) {
      this.wallMs = ts.wallMs;
      this.counter = ts.counter;
    }
  }

  /** A timestamp for a local event (a receipt, a shift, a cash movement). */
  now(): string {
    const physical = this.wallClock();
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.counter = 0;
    } else {
      this.bump();
    }
    return formatHlc({ wallMs: this.wallMs, counter: this.counter });
  }

  /** Merges a timestamp received from elsewhere (the central server); throws ClockDriftError if too far ahead. */
  receive(remote: string): string {
    const r = parseHlc(remote);
    const physical = this.wallClock();
    if (r.wallMs - physical > this.maxDriftMs)
      throw new ClockDriftError(r.wallMs - physical, this.maxDriftMs);
    const maxWall = Math.max(this.wallMs, r.wallMs, physical);
    if (maxWall === this.wallMs && maxWall === r.wallMs) this.counter = Math.max(this.counter, r.counter) + 1;
    else if (maxWall === this.wallMs) this.counter += 1;
    else if (maxWall === r.wallMs) this.counter = r.counter + 1;
    else this.counter = 0;
    this.wallMs = maxWall;
    if (this.counter > MAX_COUNTER) this.bump();
    return formatHlc({ wallMs: this.wallMs, counter: this.counter });
  }

  private bump(): void {
    this.counter += 1;
    // The counter has five digits; rather than break the sort order, borrow a millisecond.
    if (this.counter > MAX_COUNTER) {
      this.wallMs += 1;
      this.counter = 0;
    }
  }
}
