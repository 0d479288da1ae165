import type { OutboxRow, SyncDb } from "./types.ts";

/**
 * The sync worker's statements over the outbox (G's request path inserts rows in the same
 * transaction as each state change; the worker reads, retries and deletes them).
 */
export function createOutboxStore(db: SyncDb) {
  const due = db.prepare<[string, number, number], OutboxRow>(
    `SELECT * FROM outbox WHERE destination = ? AND next_attempt_at <= ? ORDER BY hlc, id LIMIT ?`,
  );
  // Every write names the version it saw (id + hlc): a row replaced meanwhile (a newer shift
  // snapshot, a DLQ entry's new state, a fresh FN backlog) is left for the next batch, never lost.
  const remove = db.prepare<[number, string]>("DELETE FROM outbox WHERE id = ? AND hlc = ?");
  const clearErrors = db.prepare<[string, string, string]>(
    "DELETE FROM sync_errors WHERE destination = ? AND kind = ? AND item_id = ?",
  );
  const fail = db.prepare<[number, string, number, number, string]>(
    "UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND hlc = ?",
  );
  const logError = db.prepare<[string, string, string, string, string]>(
    "INSERT INTO sync_errors (destination, kind, item_id, at, message) VALUES (?, ?, ?, ?, ?)",
  );
  const upsert = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (destination, kind, item_id) DO UPDATE SET hlc = excluded.hlc, payload = excluded.payload,
       attempts = 0, next_attempt_at = 0, last_error = NULL`,
  );
  const pending = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE destination = ?",
  );
  const pendingAll = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox");
  const reschedule = db.prepare<[number, string, number]>(
    "UPDATE outbox SET next_attempt_at = ? WHERE destination = ? AND next_attempt_at > ?",
  );

  return {
    /** Items due now, oldest HLC first. */
    due: (destination: string, nowMs: number, limit: number) => due.all(destination, nowMs, limit),
    /** Acknowledged by the destination: gone from the outbox with its error history. */
    acknowledge: db.transaction((rows: readonly OutboxRow[]) => {
      for (const row of rows) {
        remove.run(row.id, row.hlc);
        if (row.attempts > 0) clearErrors.run(row.destination, row.kind, row.item_id);
      }
    }),
    /**
     * A failed delivery: the error joins the item's history; `countsAsAttempt` is false for failures
     * that are not the item's fault (network down, server busy), which must never dead-letter it.
     */
    fail: db.transaction(
      (
        rows: readonly OutboxRow[],
        error: string,
        nextAttemptAt: number,
        countsAsAttempt: boolean,
        at: string,
      ) => {
        for (const row of rows) {
          fail.run(countsAsAttempt ? 1 : 0, error.slice(0, 2000), nextAttemptAt, row.id, row.hlc);
          if (countsAsAttempt) logError.run(row.destination, row.kind, row.item_id, at, error.slice(0, 2000));
        }
      },
    ),
    /** Adds (or refreshes) one of the worker's own items: breaker transitions, DLQ mirror, acks. */
    enqueue: (destination: string, kind: string, itemId: string, hlc: string, payload: unknown) =>
      upsert.run(destination, kind, itemId, hlc, JSON.stringify(payload)),
    pending: (destination?: string) => (destination ? pending.get(destination)!.n : pendingAll.get()!.n),
    /** The destination is back: everything waiting on backoff becomes due now. */
    wakeAll: (destination: string, nowMs: number) => reschedule.run(nowMs, destination, nowMs),
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
