import { Worker } from "node:worker_threads";
import { AppError } from "@kassa/api/errors";
import { AGENT_PRAGMAS } from "@kassa/db/agent";
import type { Logger } from "pino";
import type { BufferDb } from "./buffer.ts";
import { RECEIPT_WRITE_SQL, type ReceiptStatements } from "./receipt-rows.ts";

/** The named parameters of the receipts INSERT. */
export interface AcceptRow {
  id: string;
  seq: number;
  idempotencyKey: string;
  bodyHash: string;
  hlc: string;
  kind: string;
  body: string;
  total: number;
  change: number;
  expectedFd: number | null;
  /**
   * The FN whose numbering `expectedFd` counts on, kept in `fn_number` until the fiscal attributes
   * overwrite it: after an FN swap while the agent was down, only this tells recovery that the
   * expected FD belongs to the removed drive (its numbers may well exist on the new one).
   */
  expectedFn: string | null;
  acceptedAt: string;
  shiftId: string;
  cashNet: number;
}

export interface FiscalizedWrite {
  /** Parameters of the markFiscalized UPDATE. */
  update: Record<string, string | number>;
  /** The `receipt_fiscalized` outbox row, written only if the UPDATE changed the receipt. */
  outbox: [destination: string, kind: string, itemId: string, hlc: string, payload: string];
}

/**
 * The receipt path's writes. `commitThread` runs them on a worker thread with its own connection,
 * so the fsync of a synchronous=FULL commit (0.1 ms on an idle SSD, tens of ms on a busy disk) never
 * stalls the local API; `inline` runs them on the main connection (fallback, tests).
 */
export interface BufferWriter {
  /** Receipts and their `receipt` outbox rows, in one transaction, synchronous=FULL. */
  accept(rows: AcceptRow[]): Promise<void>;
  /** Fiscal attributes and `receipt_fiscalized` rows, in one transaction, without fsync. */
  fiscalized(items: FiscalizedWrite[]): Promise<void>;
  /** The commit connection's journal mode and synchronous level (proof in tests). */
  pragmas(): Promise<{ journalMode: string; synchronous: number }>;
  close(): Promise<void>;
}

/**
 * A receipt write another writer on the buffer got in the way of: a `seq` or id it already took,
 * or its write lock held past busy_timeout. Only a second agent process on the data directory can
 * do that (the data-directory lock refuses one at start-up; an agent without it, or a file system
 * whose locks do not work, still could): a typed, retry-safe 503 instead of an untyped 500. The
 * transaction was rolled back, so nothing was written. A taken idempotency key is not one of
 * these: the receipt service answers it with the stored receipt.
 */
export function asBufferConflict(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as { message?: unknown } | null)?.message ?? "");
  const takenSeqOrId =
    (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") &&
    /receipts\.(seq|id)\b/.test(message);
  if (!takenSeqOrId && code !== "SQLITE_BUSY") return error;
  return new AppError("BUFFER_CONFLICT", {
    message:
      "Another kassa agent process is writing this till's buffer, so the receipt was not saved. Stop the other process (one agent per data directory); retrying with the same idempotency key is safe.",
    retryAfterSeconds: 1,
    cause: error,
  });
}

export function inlineWriter(db: BufferDb, s: ReceiptStatements): BufferWriter {
  const accept = db.transaction((rows: AcceptRow[]) => {
    for (const row of rows) {
      s.insert.run(row);
      s.insertOutbox.run("central", "receipt", row.id, row.hlc, row.body);
    }
  });
  const fiscalized = db.transaction((items: FiscalizedWrite[]) => {
    for (const item of items) {
      if (s.markFiscalized.run(item.update).changes > 0) s.insertOutbox.run(...item.outbox);
    }
  });
  return {
    accept: async (rows) => {
      try {
        accept(rows);
      } catch (error) {
        throw asBufferConflict(error);
      }
    },
    fiscalized: async (items) => {
      db.pragma("synchronous = NORMAL");
      try {
        fiscalized(items);
      } finally {
        db.pragma("synchronous = FULL");
      }
    },
    pragmas: async () => ({
      journalMode: db.pragma("journal_mode", { simple: true }) as string,
      synchronous: db.pragma("synchronous", { simple: true }) as number,
    }),
    close: async () => undefined,
  };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Starts the commit thread on the buffer file; falls back to `fallback` if the thread dies. */
export async function commitThreadWriter(
  path: string,
  fallback: BufferWriter,
  log: Logger,
  /** Called once if the thread dies (the main connection takes over its checkpoints). */
  onDead: () => void = () => undefined,
  /**
   * Whether a receipt row is in the buffer (read on the main connection): after a failed commit
   * it tells a commit that happened but was never answered from one that did not happen.
   */
  isCommitted: (receiptId: string) => boolean = () => false,
  /** The thread's script; tests pass one that dies at a chosen moment. */
  script: URL = new URL("./commit-worker.mjs", import.meta.url),
): Promise<BufferWriter> {
  const worker = new Worker(script, {
    workerData: { path, pragmas: AGENT_PRAGMAS, sql: RECEIPT_WRITE_SQL },
    // It only runs prepared statements: a small heap keeps the till's memory budget (≤ 150 MB).
    resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let dead = false;
  let cause: Error | null = null;
  const died = (error: Error) => {
    cause ??= error;
    if (dead) return;
    dead = true;
    log.error({ err: error }, "commit thread stopped; committing on the main thread from now on");
    onDead();
  };
  worker.on(
    "message",
    (message: { id: number; value?: unknown; error?: { message: string; code?: string } }) => {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.error)
        p.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else p.resolve(message.value);
    },
  );
  // New writes go to the main connection at once; what the thread had in hand is settled only on
  // "exit", once its connection is closed: a transaction it left open is rolled back by then, so
  // reading the buffer tells exactly what it committed.
  worker.on("error", died);
  worker.on("exit", (code) => {
    died(new Error(`commit thread exited with code ${code}`));
    for (const p of pending.values()) p.reject(cause!);
    pending.clear();
  });
  const call = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  const accept = async (rows: AcceptRow[]): Promise<void> => {
    try {
      await call({ op: "accept", rows });
    } catch (error) {
      // The thread can die (or its COMMIT report an error) after the rows were made durable. They
      // are one transaction: all in the buffer means accepted, and answering otherwise would leave
      // stored receipts that nothing queues for printing until the next restart.
      if (rows.every((row) => isCommitted(row.id))) {
        log.warn(
          { err: error, receipts: rows.length },
          "commit thread failed after committing: receipts kept",
        );
        return;
      }
      throw asBufferConflict(error);
    }
  };
  const writer: BufferWriter = {
    accept: (rows) => (dead ? fallback.accept(rows) : accept(rows)),
    fiscalized: (items) => (dead ? fallback.fiscalized(items) : call({ op: "fiscalized", items })),
    pragmas: () => (dead ? fallback.pragmas() : call({ op: "pragmas" })),
    async close() {
      if (dead) return;
      await call({ op: "close" }).catch(() => undefined);
      dead = true;
      await worker.terminate();
    },
  };
  // Fail fast at start-up rather than on the first sale.
  const pragmas = await writer.pragmas();
  if (pragmas.journalMode !== "wal" || pragmas.synchronous !== 2) {
    throw new Error(
      `commit thread runs journal_mode=${pragmas.journalMode}, synchronous=${pragmas.synchronous}`,
    );
  }
  return writer;
}

/** Below this gap between receipts (≈ 200 receipts/s) the agent counts as busy. */
const BUSY_GAP_MS = 5;

/**
 * Receipts commit on the commit thread when the agent is busy, on the main connection when it is
 * idle (a lone receipt, the last one more than 5 ms ago): then it skips two thread hops (≈ 1 ms on a
 * loaded box) and pays only its fsync, while under load the local API never waits on the disk.
 * Fiscal attributes (no fsync) always go to the main connection. Writes run one at a time in arrival
 * order whichever way they go, so the two connections never contend for SQLite's write lock.
 */
export function adaptiveWriter(
  inline: BufferWriter,
  thread: BufferWriter,
  now = () => performance.now(),
): BufferWriter {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let lastAccept = Number.NEGATIVE_INFINITY;
  const enqueue = <T>(write: () => Promise<T>): Promise<T> => {
    queued++;
    const result = tail.then(write);
    tail = result.then(
      () => queued--,
      () => queued--,
    );
    return result;
  };
  return {
    accept: (rows) => {
      const idle = queued === 0 && rows.length === 1 && now() - lastAccept > BUSY_GAP_MS;
      lastAccept = now();
      return enqueue(() => (idle ? inline.accept(rows) : thread.accept(rows)));
    },
    fiscalized: (items) => enqueue(() => inline.fiscalized(items)),
    pragmas: () => thread.pragmas(),
    close: async () => {
      await tail;
      await thread.close();
    },
  };
}
