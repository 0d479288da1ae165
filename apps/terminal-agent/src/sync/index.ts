import { randomUUID } from "node:crypto";
import type { SyncEngine, SyncStatus, TCentralKeyProblem } from "@kassa/api/agent";
import type { FiscalDevice } from "@kassa/fiscal/device";
import type { OfdTransport } from "@kassa/fiscal/ofd";
import { type BreakerOptions, type BreakerTransitionRecord, createDestinationBreaker } from "./breaker.ts";
import { createCashierPull, type PulledCashier } from "./cashier-pull.ts";
import { createCentralDelivery, type DeliveryLimits, type RoundTally } from "./central-delivery.ts";
import { createCentralTransport, type TransportStats } from "./central-transport.ts";
import { createCommandApplier } from "./commands.ts";
import { createDlqStore } from "./dlq-store.ts";
import { describeDestinationFailure, isDestinationFailure } from "./failure.ts";
import { createLocalLease } from "./local-lease.ts";
import { createOfdRelay, isOfdFailure } from "./ofd-relay.ts";
import { createOutboxStore } from "./outbox-store.ts";
import { createRetryBackoff } from "./retry-backoff.ts";
import { createSyncScheduler } from "./scheduler.ts";
import { createSyncClock } from "./sync-clock.ts";
import type { SyncDb } from "./types.ts";

export interface SyncWorkerDeps {
  db: SyncDb;
  terminalId: string;
  /** Base URL of the central server; with `terminalKey` absent the worker runs offline-only. */
  centralUrl?: string;
  terminalKey?: string;
  /** Replaces the global fetch (fault injection in tests). */
  fetch?: typeof fetch;
  /** Wall clock, epoch ms. Default Date.now (tests pass a fake clock). */
  now?: () => number;
  /** The agent's HLC, so the worker's own items sort with receipts. */
  hlc?: { now(): string; receive?(remote: string): string };
  /** This process's name in the leases. Default a random UUID. */
  holder?: string;
  /** node-cron expression for scheduled rounds; false = none. Default every 15 s. */
  schedule?: string | false;
  /** How often the outbox and the network are watched for an immediate round, ms; 0 = off. Default 1,000. */
  watchMs?: number;
  limits?: Partial<DeliveryLimits>;
  breaker?: Partial<BreakerOptions>;
  /** Per-request timeout to the central server, ms. Default 15,000. */
  requestTimeoutMs?: number;
  /** How long the buffer's sync lease lasts without renewal, ms. Default 30,000. */
  leaseTtlMs?: number;
  /**
   * Installs the central cashier list in the agent's cache (the agent passes
   * `(list) => replaceCashiers(db, list)` from auth/cashiers.ts). Unset = no pull.
   */
  onCashiers?: (cashiers: PulledCashier[]) => void;
  /** How often the cashier list is checked for changes, ms. Default 60,000. */
  cashierPullMs?: number;
  /**
   * Called after every round (RUM: sync duration and payload size; Prometheus): the report and the
   * bytes this round put on the wire.
   */
  onRound?: (report: Awaited<ReturnType<SyncEngine["now"]>>, wireBytes: number) => void;
  /**
   * The till's status snapshot (status/status-service.ts terminalStatusSnapshot): queued at the start
   * of every round with the central server as the one `terminal_status` row, replaced by the newest.
   */
  statusSnapshot?: () => Promise<unknown>;
  /** The OFD destination: the fiscal device and an OFD client (createOfdClient from @kassa/fiscal/ofd). */
  ofd?: { device: FiscalDevice; client: OfdTransport; maxDocuments?: number };
  log?: (line: string) => void;
  /**
   * The central server failed a push through its own fault (failure.ts): the agent counts it in
   * `kassa_sync_central_faults_total`. Nothing was dead-lettered for it.
   */
  onCentralFault?: (fault: { status: number | null }) => void;
  /** Real-user monitoring and Prometheus: what each delivery did (sync/README.md, "What is measured"). */
  observe?: SyncObserver;
}

export type SyncDestination = "central" | "ofd";

/** Hooks the agent's RUM recorder and metrics listen on; a failing hook never fails a round. */
export interface SyncObserver {
  /** An answered push (central) or a relay run that confirmed documents (ofd; bytes unknown: 0). */
  batch?(batch: { destination: SyncDestination; items: number; durationMs: number; bytes: number }): void;
  /**
   * A destination was unreachable from `startedAtMs` for `durationMs`: called once it answers
   * again. The start is kept in `meta`, so a period spanning a restart is reported whole.
   */
  offline?(period: { destination: SyncDestination; startedAtMs: number; durationMs: number }): void;
  /** A circuit breaker changed state (already stored and queued for the central server). */
  transition?(transition: BreakerTransitionRecord): void;
}

export type SyncWorker = SyncEngine & {
  /** Starts the schedule and the watchers. */
  start(): void;
  /** A new outbox row exists: sync soon (coalesced). */
  notify(): void;
  /** The network came back: forget the backoff and sync now. */
  networkBack(): void;
  stop(): Promise<void>;
  readonly stats: TransportStats;
  readonly holder: string;
};

/** The outbox kind of the till's status snapshot. */
const STATUS_KIND = "terminal_status";

const DEFAULT_LIMITS: DeliveryLimits = {
  maxBatchItems: 500,
  maxBatchBytes: 512 * 1024,
  maxAttempts: 20,
  maxBatchesPerRound: 1000,
};

/**
 * The terminal agent's sync worker: delivers the outbox to the central server (batched, gzipped,
 * behind a circuit breaker, with decorrelated-jitter retries), keeps the DLQ and applies support's
 * commands. Only one process per buffer syncs at a time (a lease in SQLite).
 */
export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const clock = createSyncClock(deps.now, deps.hlc);
  const holder = deps.holder ?? randomUUID();
  const log = deps.log ?? (() => {});
  const outbox = createOutboxStore(deps.db);
  const dlq = createDlqStore(deps.db, outbox, clock);
  const commands = createCommandApplier(deps.db, dlq, outbox, clock);
  const lease = createLocalLease(deps.db, holder, deps.leaseTtlMs ?? 30_000);
  const observe = deps.observe ?? {};
  const onTransition = (transition: BreakerTransitionRecord) => observe.transition?.(transition);
  const centralBreaker = createDestinationBreaker(
    deps.db,
    outbox,
    "central",
    isDestinationFailure,
    clock,
    deps.breaker,
    describeDestinationFailure,
    onTransition,
  );
  const ofdBreaker = createDestinationBreaker(
    deps.db,
    outbox,
    "ofd",
    isOfdFailure,
    clock,
    deps.breaker,
    undefined,
    onTransition,
  );
  const offline = createOfflineTracker(deps.db, clock, (period) => observe.offline?.(period));
  const ofd = deps.ofd
    ? createOfdRelay({
        db: deps.db,
        device: deps.ofd.device,
        client: deps.ofd.client,
        outbox,
        dlq,
        breaker: ofdBreaker,
        clock,
        ...(deps.ofd.maxDocuments ? { maxDocuments: deps.ofd.maxDocuments } : {}),
      })
    : null;
  const online = Boolean(deps.centralUrl && deps.terminalKey);
  // Why the central server refuses our key, until a push gets through again: in `status` and logged
  // once per change (not once per round), so a till whose key was rotated says so in plain words.
  let centralKey: TCentralKeyProblem | null = null;
  const keyRefused = (kassaCode: string | null | undefined, serverMessage: string) => {
    const problem = centralKeyProblem(kassaCode);
    if (centralKey?.problem === problem) return;
    centralKey = { problem, since: clock.iso(), message: `${KEY_PROBLEM_TEXT[problem]} (${serverMessage})` };
    log(centralKey.message);
  };
  const transport = online
    ? createCentralTransport({
        url: deps.centralUrl!,
        terminalKey: deps.terminalKey!,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.requestTimeoutMs ? { timeoutMs: deps.requestTimeoutMs } : {}),
      })
    : null;
  const stats: TransportStats = transport?.stats ?? { bytesSent: 0, rawBytes: 0, requests: 0 };
  const central = transport
    ? createCentralDelivery({
        terminalId: deps.terminalId,
        holder,
        client: transport.client,
        outbox,
        dlq,
        breaker: centralBreaker,
        backoff: createRetryBackoff(),
        applyCommands: (list) => commands.apply(list),
        holdsBuffer: () => lease.renew(clock.nowMs()),
        clock,
        onServerTime: (serverTimeMs) => {
          if (!deps.hlc?.receive) return;
          try {
            deps.hlc.receive(`${String(serverTimeMs).padStart(13, "0")}.00000`);
          } catch (error) {
            log(`central clock refused by the HLC: ${(error as Error).message}`);
          }
        },
        limits: { ...DEFAULT_LIMITS, ...deps.limits },
        onBatch: (batch) => observe.batch?.({ destination: "central", ...batch }),
        wireBytes: () => transport.stats.bytesSent,
        onServerFault: (fault) => {
          if (fault.status === 401 || fault.status === 403) keyRefused(fault.kassaCode, fault.message);
          log(
            `central server fault (${fault.status === null ? "no answer" : `HTTP ${fault.status}`}): ${fault.itemsKept} items kept in the outbox, next try in ${Math.round(fault.retryInMs / 1000)} s; ${fault.message}`,
          );
          try {
            deps.onCentralFault?.({ status: fault.status });
          } catch (error) {
            log(`onCentralFault hook failed: ${(error as Error).message}`);
          }
        },
      })
    : null;

  const cashiers =
    transport && deps.onCashiers
      ? createCashierPull(
          deps.db,
          transport.client,
          centralBreaker,
          deps.onCashiers,
          deps.cashierPullMs ?? 60_000,
        )
      : null;

  let running: Promise<Awaited<ReturnType<SyncEngine["now"]>>> | null = null;

  /** One OFD relay run, measured: a batch when it confirmed documents, reachability for offline periods. */
  async function relayRound(relay: NonNullable<typeof ofd>) {
    const startedAtMs = clock.nowMs();
    const started = performance.now();
    const before = relay.state.lastRelayAt;
    const result = await relay.round();
    if (result.confirmed > 0) {
      safely(() =>
        observe.batch?.({
          destination: "ofd",
          items: result.confirmed,
          durationMs: performance.now() - started,
          bytes: 0,
        }),
      );
    }
    // The relay skips its run while a rejected document waits in the DLQ: that says nothing.
    if (relay.state.lastRelayAt !== before) offline.note("ofd", true, startedAtMs, true);
    else if (result.stoppedBecause !== null && dlq.pendingCount("ofd") === 0) {
      offline.note("ofd", false, startedAtMs, true);
    }
    return result;
  }

  /** After the OFD run (its FN figures are fresh), before the push that carries it. */
  async function queueStatusSnapshot(snapshot: () => Promise<unknown>): Promise<void> {
    try {
      outbox.enqueue("central", STATUS_KIND, "terminal-status", clock.hlc(), await snapshot());
    } catch (error) {
      log(`status snapshot not queued: ${(error as Error).message}`);
    }
  }

  async function runRound(): Promise<Awaited<ReturnType<SyncEngine["now"]>>> {
    const bytesBefore = stats.bytesSent;
    const report = await roundReport();
    try {
      deps.onRound?.(report, stats.bytesSent - bytesBefore);
    } catch (error) {
      log(`onRound hook failed: ${(error as Error).message}`);
    }
    return report;
  }

  async function roundReport(): Promise<Awaited<ReturnType<SyncEngine["now"]>>> {
    const started = performance.now();
    const tally: RoundTally = { delivered: 0, failed: 0, deadLettered: 0, stoppedBecause: null };
    let relay: Awaited<ReturnType<NonNullable<typeof ofd>["round"]>> | null = null;
    let message: string;
    // Held from round to round (written once half its life has gone by, not twice a round: two
    // fsyncs per sale on a till's flash), released on stop; a crashed holder's lapses with its TTL.
    if (!lease.renew(clock.nowMs())) {
      message = `Another agent process (${lease.holderNow()?.holder}) is syncing this buffer; this one stays idle.`;
    } else {
      // The OFD goes first: its status (unsent count, oldest age) then rides this round to central.
      if (ofd) relay = await relayRound(ofd);
      tally.deadLettered += relay?.deadLettered ?? 0;
      if (central && deps.statusSnapshot) await queueStatusSnapshot(deps.statusSnapshot);
      if (central) {
        const startedAtMs = clock.nowMs();
        await central.round(tally);
        // Only a round that pushed (or tried to) says anything about the server: a paused one is
        // silent. Any answer from the server itself (even "retry after") means it was reachable.
        offline.note("central", central.state.reachable, startedAtMs, tally.stoppedBecause !== null);
      }
      if (central?.state.online) centralKey = null;
      if (cashiers && central?.state.online) {
        await cashiers.maybePull(clock.nowMs()).catch((error: unknown) => {
          log(`cashier list not refreshed: ${(error as Error).message}`);
        });
      }
      message = !central
        ? "Offline-only: set KASSA_CENTRAL_URL and KASSA_TERMINAL_KEY to sync."
        : tally.stoppedBecause
          ? `Delivered ${tally.delivered}; stopped: ${tally.stoppedBecause}`
          : `Delivered ${tally.delivered}; the outbox is drained.`;
    }
    if (relay) {
      message += relay.stoppedBecause
        ? ` OFD: confirmed ${relay.confirmed}; stopped: ${relay.stoppedBecause}`
        : ` OFD: confirmed ${relay.confirmed}.`;
    }
    return {
      delivered: { central: tally.delivered, ...(relay ? { ofd: relay.confirmed } : {}) },
      failed: tally.failed,
      deadLettered: tally.deadLettered,
      pending: outbox.pending(),
      durationMs: Math.round(performance.now() - started),
      message,
    };
  }

  function now() {
    // Rounds never overlap: a request during a round waits for it, then runs its own.
    const previous = running ?? Promise.resolve(null);
    const next = previous.then(runRound, runRound);
    running = next;
    void next.finally(() => {
      if (running === next) running = null;
    });
    return next;
  }

  const scheduler = createSyncScheduler({
    schedule: deps.schedule ?? "*/15 * * * * *",
    watchMs: deps.watchMs ?? 1000,
    run: () => now().then(() => undefined),
    // The round's own status snapshot is not news: counting it would start a round after every round.
    // Nor are RUM samples (the round itself records some): they ride with the next round that runs.
    // (Newest id first, skipping the few rows written since: as cheap as max(id).)
    outboxHighWater: () =>
      deps.db
        .prepare<[string], { id: number }>(
          "SELECT id FROM outbox WHERE kind NOT IN (?, 'rum') ORDER BY id DESC LIMIT 1",
        )
        .get(STATUS_KIND)?.id ?? 0,
    onNetworkBack: () => worker.networkBack(),
    log,
  });

  const worker: SyncWorker = {
    holder,
    stats,
    now,
    status(): SyncStatus {
      return {
        online: central?.state.online ?? false,
        breakers: { central: asStatus(centralBreaker.state), ofd: asStatus(ofdBreaker.state) },
        lastSyncAt: central?.state.lastSyncAt ?? null,
        clockSkewMs: central?.state.clockSkewMs ?? null,
        centralKey,
      };
    },
    dlq: {
      list(input) {
        const page = dlq.list({
          limit: input.limit,
          ...(input.destination ? { destination: input.destination } : {}),
          ...(input.cursor ? { cursor: input.cursor } : {}),
        });
        return {
          items: page.rows.map((row) => ({
            id: row.id,
            destination: row.destination,
            kind: row.kind,
            itemId: row.item_id,
            attempts: row.attempts,
            lastError: row.reason,
            failedAt: row.updated_at,
            payload: safeJson(row.payload),
          })),
          nextCursor: page.nextCursor,
          total: page.total,
        };
      },
      retry(input) {
        let retried = 0;
        for (const id of input.ids) if (dlq.retry(id)) retried += 1;
        if (retried > 0) worker.notify();
        return { retried };
      },
      discard(input) {
        let discarded = 0;
        for (const id of input.ids) if (dlq.discard(id, input.reason)) discarded += 1;
        return { discarded };
      },
    },
    start: () => scheduler.start(),
    notify: () => scheduler.soon(),
    networkBack() {
      central?.wake();
      centralBreaker.probeNow("network back: probing at once");
      ofdBreaker.probeNow("network back: probing at once");
      outbox.wakeAll("central", clock.nowMs());
      scheduler.soon();
    },
    async stop() {
      scheduler.stop();
      await running?.catch(() => undefined);
      // Another process on this buffer may sync at once (a closed buffer has nothing to release).
      try {
        lease.release();
      } catch {}
    },
  };
  return worker;
}

const KEY_PROBLEM_TEXT: Record<TCentralKeyProblem["problem"], string> = {
  rotated:
    "This till's central key was rotated in the dashboard: the old key no longer syncs. Set the new key (KASSA_TERMINAL_KEY) and restart the agent; sales go on and stay in the buffer until then",
  retired:
    "This till was retired in the dashboard: the central server refuses its key for good. Sales stay in the buffer; provision a new till to sync them",
  refused:
    "The central server refuses this till's key (wrong or unknown): check KASSA_TERMINAL_KEY against the dashboard; sales stay in the buffer",
};

function centralKeyProblem(kassaCode: string | null | undefined): TCentralKeyProblem["problem"] {
  return kassaCode === "TERMINAL_KEY_ROTATED"
    ? "rotated"
    : kassaCode === "TERMINAL_RETIRED"
      ? "retired"
      : "refused";
}

function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // Observing a round must never fail it.
  }
}

/**
 * Offline periods per destination: the first round that could not reach it opens one (its start
 * saved in `meta`, so it survives a restart), the first that reached it again closes it and
 * reports it with its original start.
 */
function createOfflineTracker(
  db: SyncDb,
  clock: { nowMs(): number },
  report: (period: { destination: SyncDestination; startedAtMs: number; durationMs: number }) => void,
) {
  const read = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const save = db.prepare<[string, string]>(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const clear = db.prepare<[string]>("DELETE FROM meta WHERE key = ?");
  return {
    note(destination: SyncDestination, online: boolean, roundStartedAtMs: number, tried: boolean): void {
      const key = `sync.offline_since.${destination}`;
      const since = read.get(key);
      if (!online && tried && !since) save.run(key, String(roundStartedAtMs));
      if (online && since) {
        clear.run(key);
        const startedAtMs = Number(since.value);
        safely(() =>
          report({ destination, startedAtMs, durationMs: Math.max(0, clock.nowMs() - startedAtMs) }),
        );
      }
    },
  };
}

function asStatus(state: string): "closed" | "open" | "half_open" {
  return state === "half_open" ? "half_open" : state === "closed" ? "closed" : "open";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type { PulledCashier } from "./cashier-pull.ts";
export type { DeliveryLimits } from "./central-delivery.ts";
