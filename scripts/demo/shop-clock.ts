/**
 * Shop time for the demo: `speed` virtual milliseconds pass per real one (`--speed 10` runs a
 * ten-minute incident script in one minute). Every wait ends early, with false, once the run stops
 * (Ctrl-C, `--duration`), so each loop winds down at its next step.
 */
export class ShopClock {
  private readonly controller = new AbortController();
  private readonly startedAt: number;

  constructor(
    readonly speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(speed > 0) || speed > 1000) throw new RangeError("--speed must be above 0 and at most 1000");
    this.startedAt = realNow();
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Shop milliseconds since the run started. */
  elapsed(): number {
    return (this.realNow() - this.startedAt) * this.speed;
  }

  /** Real milliseconds a shop duration takes. */
  real(virtualMs: number): number {
    return virtualMs / this.speed;
  }

  stop(): void {
    this.controller.abort();
  }

  /** Waits `virtualMs` of shop time; false when the run stopped meanwhile. */
  wait(virtualMs: number): Promise<boolean> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, this.real(virtualMs));
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Waits until `virtualAt` shop ms since the start; false when the run stopped first. */
  until(virtualAt: number): Promise<boolean> {
    return this.wait(Math.max(0, virtualAt - this.elapsed()));
  }
}
