import type { CentralClient } from "@kassa/api/central/client";
import type { DestinationBreaker } from "./breaker.ts";
import type { CentralCommand } from "./commands.ts";
import type { DlqStore } from "./dlq-store.ts";
import { classifyPushFailure, type PushFailure } from "./failure.ts";
import { errorFingerprint } from "./fingerprint.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { createRetryBackoff } from "./retry-backoff.ts";
import type { OutboxRow } from "./types.ts";
import { toWireItem, UnsendableItemError, type WireItem } from "./wire-items.ts";

export interface DeliveryLimits {
  /** Items per push. Default 500. */
  maxBatchItems: number;
  /** Uncompressed JSON bytes per push (the compressed body is ~10× smaller). Default 512 KiB. */
  maxBatchBytes: number;
  /** Failures of one item (its own fault) before it is dead-lettered. Default 20. */
  maxAttempts: number;
  /** Pushes per round at most, so one round cannot run forever. Default 1,000. */
  maxBatchesPerRound: number;
}

export interface RoundTally {
  delivered: number;
  failed: number;
  deadLettered: number;
  /** The last failure, in words, if the round stopped early. */
  stoppedBecause: string | null;
}

export interface CentralDeliveryDeps {
  terminalId: string;
  holder: string;
  client: CentralClient;
  outbox: OutboxStore;
  dlq: DlqStore;
  breaker: DestinationBreaker;
  backoff: ReturnType<typeof createRetryBackoff>;
  applyCommands(commands: readonly CentralCommand[]): void;
  /** Renews this process's lease on the buffer before each push; false = another process took over. */
  holdsBuffer(): boolean;
  clock: { nowMs(): number; iso(): string; hlc(): string };
  /** Called with each answer's server time, for the agent's HLC and the skew estimate. */
  onServerTime?(serverTimeMs: number, sentAtMs: number, receivedAtMs: number): void;
  limits: DeliveryLimits;
  /**
   * Each answered push of at least one item (RUM `sync.batch.*`, Prometheus): its items, its time,
   * and the bytes it put on the wire as `wireBytes` counts them (compressed).
   */
  onBatch?(batch: { items: number; durationMs: number; bytes: number }): void;
  /** Bytes sent so far by the transport (its stats), read around each push for `onBatch`. */
  wireBytes?(): number;
  /**
   * The central server failed a push (failure.ts: its fault, not an item's): for the log line and
   * the metric. Every item stays in the outbox.
   */
  onServerFault?(fault: {
    status: number | null;
    /** Kassa's code when the server refused our key (TERMINAL_KEY_ROTATED, TERMINAL_RETIRED, UNAUTHORIZED). */
    kassaCode?: string | null;
    itemsKept: number;
    retryInMs: number;
    message: string;
  }): void;
}

/**
 * Delivers the central outbox: due items in HLC order, batched by count and bytes, one push per
 * batch through the breaker; acknowledged items leave the outbox, rejected ones go to the DLQ,
 * and no single item can hold back the ones behind it.
 */
export function createCentralDelivery(deps: CentralDeliveryDeps) {
  const { outbox, dlq, breaker, backoff, clock, limits } = deps;
  let leaseToken: string | null = null;
  let pausedUntil = 0;
  let batchLimit = limits.maxBatchItems;
  /**
   * Items that failed alone with a server error (outbox ids). They are sent alone from then on, so
   * a poisoned item is found without bisecting again and never rides with healthy ones.
   */
  const suspects = new Set<number>();
  const state = {
    online: false,
    /**
     * The server itself answered the last push, even if only "slow down", "lease taken" or "these
     * items are invalid": no offline period (a reconnect storm's "retry after" is not an outage).
     */
    reachable: false,
    lastSyncAt: null as string | null,
    clockSkewMs: null as number | null,
  };

  function deadLetter(row: OutboxRow, code: string, reason: string, tally: RoundTally): void {
    dlq.deadLetter(row, reason, errorFingerprint(code, reason));
    tally.deadLettered += 1;
  }

  function nextBatch(): { rows: OutboxRow[]; items: WireItem[] } | null {
    for (;;) {
      const due = outbox.due("central", clock.nowMs(), batchLimit);
      if (due.length === 0) return null;
      const rows: OutboxRow[] = [];
      const items: WireItem[] = [];
      let bytes = 0;
      let unsendable = false;
      for (const row of due) {
        if (suspects.has(row.id) && rows.length > 0) break;
        let item: WireItem;
        try {
          item = toWireItem(row);
        } catch (error) {
          if (!(error instanceof UnsendableItemError)) throw error;
          dlq.deadLetter(row, error.message, errorFingerprint("UNSENDABLE", error.message));
          unsendable = true;
          continue;
        }
        if (rows.length > 0 && bytes + row.payload.length > limits.maxBatchBytes) break;
        rows.push(row);
        items.push(item);
        bytes += row.payload.length;
        if (suspects.has(row.id)) break;
      }
      if (rows.length > 0) return { rows, items };
      if (!unsendable) return null;
    }
  }

  async function push(items: WireItem[]) {
    const sentAtMs = clock.nowMs();
    const started = performance.now();
    const bytesBefore = deps.wireBytes?.() ?? 0;
    const answer = await breaker.execute(() =>
      deps.client.ingest.push.mutate({
        terminalId: deps.terminalId,
        holder: deps.holder,
        leaseToken,
        sentAtMs,
        hlc: clock.hlc(),
        items,
      }),
    );
    deps.onServerTime?.(answer.serverTimeMs, sentAtMs, clock.nowMs());
    if (items.length > 0 && deps.onBatch) {
      const batch = {
        items: items.length,
        durationMs: performance.now() - started,
        bytes: (deps.wireBytes?.() ?? 0) - bytesBefore,
      };
      try {
        deps.onBatch(batch);
      } catch {
        // Measuring a delivery must never fail it.
      }
    }
    return answer;
  }

  /** Bookkeeping after any answered push. */
  function accepted(answer: Awaited<ReturnType<typeof push>>): void {
    backoff.reset();
    leaseToken = answer.lease.token;
    state.online = true;
    state.reachable = true;
    state.lastSyncAt = clock.iso();
    state.clockSkewMs = answer.clockSkewMs;
    if (answer.commands.length > 0) deps.applyCommands(answer.commands);
  }

  /** An empty push: does the server answer at all? */
  async function probe(): Promise<boolean> {
    try {
      accepted(await push([]));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The destination failed (failure.ts decides when): every item stays in the outbox, the round
   * backs off and the failure is reported. Only a 5xx may be one item crashing the handler: the
   * batch is bisected towards it, and a lone item failing is blamed only if an empty push
   * succeeds right after — then it steps aside so the rest keep flowing (poison → DLQ after N).
   */
  async function serverFault(
    rows: OutboxRow[],
    failure: Extract<PushFailure, { type: "server" | "auth" }>,
    tally: RoundTally,
  ): Promise<"stop" | "continue"> {
    state.online = false;
    state.reachable = false;
    const delay = backoff.next();
    tally.failed += rows.length;
    tally.stoppedBecause = failure.message;
    deps.onServerFault?.({
      status: failure.status,
      ...(failure.type === "auth" ? { kassaCode: failure.kassaCode } : {}),
      itemsKept: rows.length,
      retryInMs: delay,
      message: failure.message,
    });
    const mayBeItem = failure.type === "server" && failure.mayBeItem;
    if (mayBeItem && rows.length > 1) {
      batchLimit = Math.max(1, Math.ceil(rows.length / 2));
    } else if (mayBeItem && rows.length === 1) {
      const row = rows[0]!;
      suspects.add(row.id);
      const blame = await probe();
      if (blame && row.attempts + 1 >= limits.maxAttempts) {
        deadLetter(row, "SERVER_ERROR", `Failed ${limits.maxAttempts} times: ${failure.message}`, tally);
        suspects.delete(row.id);
      } else {
        outbox.fail([row], failure.message, clock.nowMs() + delay, blame, clock.iso());
      }
      // Blamed: the items behind it go on at once (the breaker stops this if the server is down).
      if (blame) return "continue";
    }
    pausedUntil = clock.nowMs() + delay;
    return "stop";
  }

  /** One round: push batches until nothing is due, the breaker opens, or the server says wait. */
  async function round(tally: RoundTally): Promise<void> {
    if (clock.nowMs() < pausedUntil) {
      tally.stoppedBecause = `waiting until ${new Date(pausedUntil).toISOString()} before contacting the central server`;
      return;
    }
    let leaseRetried = false;
    for (let n = 0; n < limits.maxBatchesPerRound; n++) {
      if (!deps.holdsBuffer()) {
        tally.stoppedBecause = "another agent process took over this buffer's sync";
        return;
      }
      // With nothing to send, the first push of a round is an empty heartbeat: it fetches support's
      // commands, refreshes last-sync and clock skew on the dashboard, and probes the server.
      const batch = nextBatch() ?? (n === 0 ? { rows: [], items: [] } : null);
      if (!batch) return;
      let answer: Awaited<ReturnType<typeof push>>;
      try {
        answer = await push(batch.items);
      } catch (error) {
        const failure = classifyPushFailure(error);
        tally.stoppedBecause = failure.message;
        if (failure.type === "busy" || failure.type === "lease" || failure.type === "invalid")
          state.reachable = true;
        switch (failure.type) {
          case "invalid": {
            if (batch.rows.length === 0) return;
            const named = [...failure.items].filter(([index]) => batch.rows[index] !== undefined);
            if (named.length === 0) {
              // Indexes outside what we sent: the server's answer is wrong, not an item.
              const message = `The central server named items this batch does not have: ${failure.message}`;
              await serverFault(
                batch.rows,
                { type: "server", status: 400, mayBeItem: false, message },
                tally,
              );
              return;
            }
            // The named items are malformed for good; the rest go again at once.
            for (const [index, reason] of named) {
              deadLetter(
                batch.rows[index]!,
                "VALIDATION_FAILED",
                `Refused by the central server: ${reason}`,
                tally,
              );
            }
            tally.stoppedBecause = null;
            continue;
          }
          case "too_large":
            if (batch.rows.length === 0) return;
            if (batch.rows.length > 1) {
              batchLimit = Math.max(1, Math.ceil(batch.rows.length / 2));
              continue;
            }
            if (failure.typed) {
              deadLetter(batch.rows[0]!, "PAYLOAD_TOO_LARGE", failure.message, tally);
              continue;
            }
            {
              // A proxy refusing even one item: its limit is wrong, not the item, so it is never
              // dead-lettered. But if an empty push gets through, only this item is too large for
              // it: it steps aside (not counted as an attempt) so everything behind it keeps
              // flowing instead of the whole outbox waiting behind it until someone raises the limit.
              const row = batch.rows[0]!;
              const message = `HTTP 413 for a single item from something in front of the central server (nothing dead-lettered): ${failure.message}`;
              const delay = backoff.next();
              if (await probe()) {
                tally.failed += 1;
                deps.onServerFault?.({ status: 413, itemsKept: 1, retryInMs: delay, message });
                suspects.add(row.id);
                outbox.fail([row], message, clock.nowMs() + delay, false, clock.iso());
                continue;
              }
              await serverFault(
                batch.rows,
                { type: "server", status: 413, mayBeItem: false, message },
                tally,
              );
              return;
            }
          case "lease":
            leaseToken = null;
            if (failure.retryAfterMs !== null) {
              pausedUntil = clock.nowMs() + failure.retryAfterMs;
              return;
            }
            if (leaseRetried) return;
            leaseRetried = true;
            continue;
          case "busy":
            pausedUntil = clock.nowMs() + failure.retryAfterMs;
            return;
          case "breaker_open":
            state.online = false;
            state.reachable = false;
            return;
          case "auth":
          case "server":
            if ((await serverFault(batch.rows, failure, tally)) === "stop") return;
            continue;
        }
      }

      for (const row of batch.rows) suspects.delete(row.id);
      batchLimit = Math.min(limits.maxBatchItems, batchLimit * 2);
      accepted(answer);
      const done: OutboxRow[] = [];
      answer.results.forEach((result, index) => {
        const row = batch.rows[index];
        if (!row) return;
        if (result.status === "accepted" || result.status === "duplicate") {
          done.push(row);
        } else if (result.retryable && row.attempts + 1 < limits.maxAttempts) {
          tally.failed += 1;
          outbox.fail(
            [row],
            `${result.code}: ${result.reason}`,
            clock.nowMs() + backoff.next(),
            true,
            clock.iso(),
          );
        } else {
          deadLetter(
            row,
            result.code ?? "REJECTED",
            result.reason ?? "rejected by the central server",
            tally,
          );
        }
      });
      outbox.acknowledge(done);
      tally.delivered += done.length;
      if (batch.rows.length === 0 && answer.commands.length === 0) return;
    }
  }

  return {
    round,
    state,
    /** Network back / sync.now: try again now instead of waiting out the backoff. */
    wake(): void {
      pausedUntil = 0;
    },
  };
}

export type CentralDelivery = ReturnType<typeof createCentralDelivery>;
