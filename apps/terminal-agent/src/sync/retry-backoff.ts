import { decorrelatedJitterGenerator, type IExponentialBackoffOptions } from "cockatiel";

/**
 * Retry delays with decorrelated jitter (cockatiel's generator, as in Polly): each delay is drawn
 * between the base and three times the previous one, capped, so a fleet of tills coming back after
 * an outage spreads out instead of arriving in waves. One sequence per destination; a success resets it.
 */
export function createRetryBackoff(initialDelayMs = 500, maxDelayMs = 60_000) {
  const options: IExponentialBackoffOptions<[number, number]> = {
    generator: decorrelatedJitterGenerator,
    initialDelay: initialDelayMs,
    maxDelay: maxDelayMs,
    exponent: 2,
  };
  let state: [number, number] | undefined;
  return {
    next(): number {
      const [delay, nextState] = decorrelatedJitterGenerator(state, options);
      state = nextState;
      return Math.round(delay);
    },
    reset(): void {
      state = undefined;
    },
  };
}
