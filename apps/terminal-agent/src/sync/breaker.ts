import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  handleWhen,
} from "cockatiel";
import type { OutboxStore } from "./outbox-store.ts";
import type { SyncDb } from "./types.ts";

export type BreakerStateName = "closed" | "open" | "half_open" | "isolated";

const NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half_open",
  [CircuitState.Isolated]: "isolated",
};

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold: number;
  /** First wait before a half-open probe, ms; grows with decorrelated jitter. Default 1,000. */
  halfOpenAfterMs: number;
  /** Longest wait before a probe, ms. Default 60,000. */
  maxHalfOpenAfterMs: number;
}

export interface BreakerTransitionRecord {
  destination: string;
  at: string;
  from: BreakerStateName;
  to: BreakerStateName;
  cause: string;
  failures: number;
}

/**
 * One circuit breaker per destination (cockatiel): after `failureThreshold` consecutive transport
 * failures the destination is left alone, probed again after a decorrelated-jitter delay. Every
 * transition is written to SQLite (time, from → to, cause, failure count) and queued for the
 * central server; the breaker's own state is saved too, so a restart does not hammer a dead server.
 */
export function createDestinationBreaker(
  db: SyncDb,
  outbox: OutboxStore,
  destination: string,
  isFailure: (error: unknown) => boolean,
  clock: { iso(): string; hlc(): string },
  options: Partial<BreakerOptions> = {},
  /** The failure in words for the transition's cause (the central one says "HTTP 400 naming no item"). */
  describeFailure: (error: unknown) => string = describe,
  /** Sees each transition once it is stored (RUM `breaker.transition`); its failure changes nothing. */
  onTransition?: (transition: BreakerTransitionRecord) => void,
) {
  const opts: BreakerOptions = {
    failureThreshold: 5,
    halfOpenAfterMs: 1000,
    maxHalfOpenAfterMs: 60_000,
    ...options,
  };
  const metaKey = `sync.breaker.${destination}`;
  const saved = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?").get(metaKey);
  const save = db.prepare<[string, string]>(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const insertTransition = db.prepare(
    `INSERT INTO breaker_transitions (destination, at, from_state, to_state, cause, failures)
     VALUES (@destination, @at, @from, @to, @cause, @failures)`,
  );
  const history = db.prepare<[string, number], BreakerTransitionRecord & { id: number }>(
    `SELECT id, destination, at, from_state AS "from", to_state AS "to", cause, failures
     FROM breaker_transitions WHERE destination = ? ORDER BY id DESC LIMIT ?`,
  );

  let initialState: unknown;
  try {
    initialState = saved ? JSON.parse(saved.value) : undefined;
  } catch {
    initialState = undefined;
  }
  let state: BreakerStateName = "closed";
  let consecutiveFailures = 0;
  let lastCause = "";

  const record = db.transaction((to: BreakerStateName, cause?: string) => {
    const transition: BreakerTransitionRecord = {
      destination,
      at: clock.iso(),
      from: state,
      to,
      cause:
        cause ??
        (to === "open"
          ? `${consecutiveFailures} consecutive failures; last: ${lastCause}`
          : to === "half_open"
            ? "probing after the open interval"
            : to === "closed"
              ? "probe succeeded"
              : "held open"),
      failures: consecutiveFailures,
    };
    const { lastInsertRowid } = insertTransition.run(transition);
    outbox.enqueue(
      "central",
      "breaker_transition",
      `${destination}-${lastInsertRowid}`,
      clock.hlc(),
      transition,
    );
    save.run(metaKey, JSON.stringify(policy.toJSON()));
    state = to;
    return transition;
  });
  function transitioned(to: BreakerStateName, cause?: string): void {
    const transition = record(to, cause);
    try {
      onTransition?.(transition);
    } catch {
      // An observer's failure is no reason to lose the breaker's state.
    }
  }

  let nextCause: string | undefined;
  function build(initial: unknown): CircuitBreakerPolicy {
    const built = circuitBreaker(handleWhen(isFailure), {
      breaker: new ConsecutiveBreaker(opts.failureThreshold),
      halfOpenAfter: new ExponentialBackoff({
        generator: decorrelatedJitterGenerator,
        initialDelay: opts.halfOpenAfterMs,
        maxDelay: opts.maxHalfOpenAfterMs,
      }),
      ...(initial ? { initialState: initial } : {}),
    });
    built.onFailure(({ reason }) => {
      consecutiveFailures += 1;
      lastCause = "error" in reason ? describeFailure(reason.error) : "failed result";
    });
    built.onSuccess(() => {
      consecutiveFailures = 0;
    });
    built.onStateChange((next) => {
      const cause = nextCause;
      nextCause = undefined;
      transitioned(NAMES[next], cause);
    });
    return built;
  }
  let policy = build(initialState);
  state = NAMES[policy.state];

  return {
    destination,
    /** Runs `fn` through the breaker; throws cockatiel's BrokenCircuitError while open. */
    execute: <T>(fn: () => Promise<T>) => policy.execute(fn),
    /**
     * Evidence the destination may be back (the network returned, a person pressed sync): the next
     * call probes at once (open → half-open) instead of waiting out the interval. Rebuilt from
     * cockatiel's own saved state with the open time moved back; nothing else changes.
     */
    probeNow(cause: string): void {
      if (state !== "open") return;
      const snapshot = policy.toJSON() as { ownState: { openedAt: number } };
      snapshot.ownState.openedAt = 0;
      nextCause = cause;
      policy = build(snapshot);
    },
    get state(): BreakerStateName {
      // cockatiel reports Open until a call arrives after the interval: name it as the status shows.
      return state === "isolated" ? "open" : state;
    },
    history: (limit = 50) => history.all(destination, limit).reverse(),
  };
}

export type DestinationBreaker = ReturnType<typeof createDestinationBreaker>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}
