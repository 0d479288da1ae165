import type http from "node:http";
import { type AgentServices, agentRouter, createAgentContext, type SyncEngine } from "@kassa/api/agent";
import type { FiscalDevice } from "@kassa/fiscal/device";
import type { KktEmulator } from "@kassa/fiscal/emulator";
import { defaultVatRates } from "@kassa/fiscal/ffd";
import { createOfdClient } from "@kassa/fiscal/ofd";
import type { Logger } from "pino";
import { AuthService } from "./auth/auth-service.ts";
import { replaceCashiers } from "./auth/cashiers.ts";
import { BufferCapacity } from "./buffer/capacity.ts";
import { CashService } from "./cash/cash-service.ts";
import { RegisterCash } from "./cash/register-cash.ts";
import { HybridLogicalClock } from "./clock/hlc.ts";
import { type BufferDb, bufferPath, openBuffer } from "./db/buffer.ts";
import { lockDataDir } from "./db/buffer-lock.ts";
import { adaptiveWriter, type BufferWriter, commitThreadWriter, inlineWriter } from "./db/buffer-writer.ts";
import { prepareReceiptStatements } from "./db/receipt-rows.ts";
import type { AgentConfig } from "./env.ts";
import { DeviceRunner } from "./fiscal/device-runner.ts";
import { FiscalQueue } from "./fiscal/fiscal-queue.ts";
import { createDeviceSource, type DeviceSource } from "./fiscal/open-device.ts";
import { sharedDevice } from "./fiscal/shared-device.ts";
import { createLogger } from "./log.ts";
import { type AgentMetrics, createMetrics } from "./metrics.ts";
import { offlineSyncEngine } from "./offline-sync.ts";
import { CorrectionService } from "./receipts/correction-service.ts";
import { createFiscalStore } from "./receipts/fiscal-store.ts";
import { ReceiptService } from "./receipts/receipt-service.ts";
import { type RumOptions, RumRecorder, reportRum } from "./rum.ts";
import { createLocalServer, listen } from "./server/local-server.ts";
import { ShiftService } from "./shift/shift-service.ts";
import { agentStatus, type StatusServiceOptions, terminalStatusSnapshot } from "./status/status-service.ts";
import { watchStatusChanges } from "./status/status-watch.ts";
import { createSyncWorker, type SyncWorkerDeps } from "./sync/index.ts";

export interface AgentDeps {
  /** Epoch ms. Default Date.now; tests pass a fake clock (24 h shifts, lockout). */
  now?: () => number;
  /** The fiscal register. Default: from the configuration (serial port or in-process emulator). */
  device?: DeviceSource;
  /** The sync engine. Default: the sync worker when KASSA_CENTRAL_URL is set, else offline-only. */
  createSync?: (deps: SyncWorkerDeps) => SyncEngine & { start?(): void };
  /** Extra sync worker options (schedule, fetch, limits) for tests and benches. */
  syncOptions?: Partial<SyncWorkerDeps>;
  /** Extra RUM recorder options: tests that count the outbox set a flush timer that never fires in the test. */
  rumOptions?: Pick<RumOptions, "flushMs">;
  log?: Logger;
  /** Commit receipts on a worker thread (default) or, with false, on the main thread. */
  commitThread?: boolean;
  /** Test hook: the commit thread's script (one that dies at a chosen moment). */
  commitThreadScript?: URL;
  /** Serve the local API over HTTP. Default true; false for in-process callers. */
  listen?: boolean;
}

export interface RunningAgent {
  config: AgentConfig;
  /** `http://127.0.0.1:<port>` of the local API (the bound port when config.port is 0). */
  url: string;
  port: number;
  db: BufferDb;
  services: AgentServices;
  metrics: AgentMetrics;
  emulator: KktEmulator | null;
  queue: FiscalQueue;
  /** The register, shared through the agent's device queue (for the OFD relay, tools, tests). */
  device: FiscalDevice;
  /** Where receipts are committed (the commit thread unless disabled). */
  writer: BufferWriter;
  /** The real-user metrics recorder (tests flush it instead of waiting for its timer). */
  rum: RumRecorder;
  log: Logger;
  close(): Promise<void>;
}

/** The composition root: opens the buffer, the register and the sync worker, then serves the local API. */
export async function startAgent(config: AgentConfig, deps: AgentDeps = {}): Promise<RunningAgent> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? createLogger(config.logLevel, config.terminalId);
  const metrics = createMetrics(now);
  // One agent process per data directory (see buffer-lock.ts): a second one stops here, with one line.
  const dataDirLock = lockDataDir(config.dataDir);
  const db = await openBuffer(config.dataDir, (line) => log.info(line));
  const statements = prepareReceiptStatements(db);
  const hlc = new HybridLogicalClock(now);
  hlc.restore(statements.maxHlc.get()?.hlc);
  const rum = new RumRecorder(db, hlc, now, {
    ...config.rum,
    ...deps.rumOptions,
    onError: (error) => log.warn({ err: error }, "RUM samples not written yet; retrying on the next flush"),
  });
  metrics.sources.rumStored = () => rum.stored();

  // Serial round trips while a receipt prints: the wait a cashier has. Status polls of a blocked
  // register (every 2 s) and each round's snapshot would otherwise outnumber them many times over.
  let printing = (): boolean => false;
  const device =
    deps.device ??
    (await createDeviceSource(config, log, ({ command, durationMs, answered }) => {
      if (!printing()) return;
      rum.measure("serial.round_trip", durationMs, "ms", {
        command: `0x${command.toString(16).toUpperCase().padStart(2, "0")}`,
        answered: String(answered),
      });
    }));
  const runner = new DeviceRunner(
    () => device.open(),
    (connected) => rum.event("device.event", 1, "count", { event: connected ? "connected" : "disconnected" }),
  );
  const inline = inlineWriter(db, statements);
  const writer =
    deps.commitThread === false
      ? inline
      : await commitThreadWriter(
          bufferPath(config.dataDir),
          inline,
          log,
          () => db.pragma("wal_autocheckpoint = 1000"),
          (id) => statements.byId.get(id) !== undefined,
          deps.commitThreadScript,
        ).then(
          (thread) => {
            // Checkpoints move to the commit thread (commit-worker.mjs): none on this connection.
            db.pragma("wal_autocheckpoint = 0");
            return adaptiveWriter(inline, thread);
          },
          (error: unknown) => {
            log.warn({ err: error }, "commit thread unavailable: committing on the main thread");
            return inline;
          },
        );
  const fiscalStore = createFiscalStore({ db, statements, writer, hlc, terminalId: config.terminalId, now });
  // The register refusing a receipt for "no shift" while the agent has one open means the two
  // disagree (the register's Z report was never recorded): compare them once the queue blocks.
  let onShiftClosedOnRegister = (): void => undefined;
  const store: typeof fiscalStore = {
    ...fiscalStore,
    markWaiting(ids, reason) {
      fiscalStore.markWaiting(ids, reason);
      if (reason.kassaCode === "SHIFT_CLOSED") onShiftClosedOnRegister();
    },
  };
  const queue = new FiscalQueue({
    runner,
    store,
    log,
    metrics,
    pollMs: config.devicePollMs,
    refusalBrake: config.deviceRefusalBrake,
    rum,
  });
  printing = () => queue.inFlight !== null;
  const capacity = new BufferCapacity(
    config.bufferCapacity,
    () => statements.countOutbox.get()!.n,
    log,
    metrics,
  );
  rum.gauge("buffer.fill", "ratio", () => capacity.fill);
  const auth = new AuthService({
    db,
    requireLogin: config.requireLogin,
    lockoutMs: config.lockoutMs,
    now,
    log,
    metrics,
    rum,
  });
  // Cash in/out goes onto the register too (50/51), so its drawer count matches the journal; the
  // opening float too, at shift open.
  const registerCash = new RegisterCash({ db, runner, log, now });
  const shifts = new ShiftService({
    db,
    runner,
    queue,
    auth,
    hlc,
    now,
    warnMs: config.shiftWarnMs,
    log,
    register: registerCash,
  });
  onShiftClosedOnRegister = () => {
    if (!shifts.current()) return;
    shifts.reconcile().catch((error: unknown) => {
      log.warn({ err: error }, "could not compare the shift with the fiscal register");
    });
  };
  const cash = new CashService({ db, shifts, auth, hlc, now, log, register: registerCash });
  const corrections = new CorrectionService({
    db,
    runner,
    shifts,
    auth,
    hlc,
    isVatRate: (id) => defaultVatRates.has(id),
    defaultTaxSystem: config.taxSystem,
    now,
    log,
  });
  const receipts = new ReceiptService({
    db,
    statements,
    writer,
    terminalId: config.terminalId,
    defaultTaxSystem: config.taxSystem,
    isVatRate: (id) => defaultVatRates.has(id),
    hlc,
    queue,
    attention: fiscalStore,
    shifts,
    auth,
    capacity,
    metrics,
    log,
    now,
    rum,
  });

  const register = sharedDevice(runner);
  let sync: SyncEngine & { start?(): void; notify?(): void } = offlineSyncEngine();
  const statusOptions: StatusServiceOptions = {
    terminalId: config.terminalId,
    // The worker runs for either destination (central server, OFD relay).
    syncMode: config.central || config.ofd ? "running" : "offline-only",
    runner,
    queue,
    shifts,
    capacity,
    statements,
    countNeedsAttention: () => fiscalStore.countNeedsAttention(),
    sync: () => sync,
    metrics,
    now,
    family: config.kktKind,
  };
  // The worker serves both destinations: the central server and the OFD relay, either may be absent.
  if (config.central || config.ofd) {
    const syncLog = log.child({ component: "sync" });
    sync = (deps.createSync ?? createSyncWorker)({
      db,
      terminalId: config.terminalId,
      ...(config.central ? { centralUrl: config.central.url, terminalKey: config.central.terminalKey } : {}),
      now,
      hlc,
      log: (line) => syncLog.info(line),
      onCentralFault: ({ status }) =>
        metrics.centralFaults.inc({ status: status === null ? "none" : String(status) }),
      onCashiers: (cashiers) => replaceCashiers(db, cashiers),
      onRound: (report) => metrics.syncRoundSeconds.observe(report.durationMs / 1000),
      observe: {
        batch: ({ destination, items, durationMs, bytes }) => {
          metrics.syncBatchSeconds.observe({ destination }, durationMs / 1000);
          metrics.syncBatchItems.inc({ destination }, items);
          metrics.syncBatchBytes.inc({ destination }, bytes);
          rum.measure("sync.batch.duration", durationMs, "ms", { destination });
          rum.measure("sync.batch.items", items, "count", { destination });
          if (destination === "central") rum.measure("sync.batch.bytes", bytes, "bytes", { destination });
        },
        offline: ({ destination, startedAtMs, durationMs }) =>
          rum.event("sync.offline", durationMs, "ms", { destination }, startedAtMs),
        transition: ({ destination, from, to }) =>
          rum.event("breaker.transition", 1, "count", { destination, from, to }),
      },
      ...(config.ofd ? { ofd: { device: register, client: createOfdClient(config.ofd) } } : {}),
      // Fleet's view of this till, sent on every round (status/status-service.ts).
      statusSnapshot: () =>
        terminalStatusSnapshot({
          ...statusOptions,
          dlqPending: async () => (await sync.dlq.list({ limit: 1 })).total,
        }),
      ...deps.syncOptions,
    });
  }

  // Scrape-time gauges: breakers as the sync worker holds them, the DLQ as the buffer does.
  const countDlq = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM dlq WHERE status = 'pending'");
  metrics.sources.breakers = () => sync.status().breakers;
  metrics.sources.dlqPending = () => countDlq.get()!.n;

  const services: AgentServices = {
    receipts: {
      create: (input) => receipts.create(input),
      get: (input) => receipts.get(input),
      list: (input) => receipts.list(input),
      void: (input) => receipts.void(input),
      correct: (input) => corrections.correct(input),
    },
    shift: {
      open: (input) => shifts.open(input),
      close: (input) => shifts.close(input),
      xReport: (input) => shifts.xReport(input),
      status: () => shifts.status(),
    },
    cash: { move: (input) => cash.move(input) },
    auth: { login: (input) => auth.login(input) },
    status: () => agentStatus(statusOptions),
    rum: { report: (input) => reportRum(rum, now, input) },
    sync: {
      now: () => sync.now(),
      dlq: {
        list: (input) => sync.dlq.list(input),
        retry: (input) => sync.dlq.retry(input),
        discard: (input) => sync.dlq.discard(input),
      },
    },
  };

  // A crash between the register's shift report and the SQLite write leaves the two disagreeing:
  // the register is the truth. A register that does not answer now is compared on the next mismatch.
  await shifts.reconcile().catch((error: unknown) => {
    log.warn({ err: error }, "could not compare the shift with the fiscal register at start-up");
  });
  // Before any receipt prints: a movement sent before a crash is settled by the drawer count,
  // which a cash sale printed first would change.
  await registerCash.drain();
  await corrections.drain();
  registerCash.start();
  await queue.start();
  capacity.start();
  rum.start();
  sync.start?.();
  // Receipts starting or stopping to wait for the register write no outbox row: a round is asked for.
  const statusWatch = config.central
    ? watchStatusChanges({
        signature: () => queue.waitingReason?.kassaCode ?? "",
        onChange: () => sync.notify?.(),
      })
    : null;

  let server: http.Server | null = null;
  let port = 0;
  if (deps.listen !== false) {
    const context = createAgentContext(services);
    server = createLocalServer({
      router: agentRouter,
      createContext: () => context,
      apiToken: config.apiToken,
      maxBodyBytes: config.maxBodyBytes,
      metrics,
      health: () => ({
        terminalId: config.terminalId,
        pending: capacity.pendingCount,
        waiting: queue.queued,
      }),
      // Tests and demos drive the emulated register from outside (paper out, power off…).
      ...(device.control ? { emulatorControl: device.control } : {}),
    });
    port = await listen(server, config.port);
  }
  log.info(
    {
      port,
      dataDir: config.dataDir,
      sync: config.central || config.ofd ? "running" : "offline-only",
      emulator: config.kkt.emulator,
    },
    `kassa agent listening on http://127.0.0.1:${port}`,
  );

  let closed = false;
  return {
    config,
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    services,
    metrics,
    emulator: device.emulator,
    queue,
    device: register,
    writer,
    rum,
    log,
    async close() {
      if (closed) return;
      closed = true;
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      capacity.stop();
      statusWatch?.stop();
      registerCash.stop();
      await queue.stop();
      await sync.stop?.();
      await runner.close();
      device.close();
      // After the sync worker stopped: the last second of samples waits in the buffer for next time.
      rum.stop();
      await writer.close();
      db.close();
      dataDirLock.release();
    },
  };
}

/** Helper S's worker, when it is present in this build. */
