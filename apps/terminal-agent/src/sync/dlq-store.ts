import { createHash } from "node:crypto";
import type { OutboxStore } from "./outbox-store.ts";
import type { OutboxRow, SyncDb } from "./types.ts";

export interface DlqRow {
  id: string;
  destination: string;
  kind: string;
  item_id: string;
  hlc: string;
  payload: string;
  attempts: number;
  reason: string;
  fingerprint: string;
  errors: string;
  status: "pending" | "retried" | "discarded";
  discard_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface DlqClock {
  iso(): string;
  hlc(): string;
}

/** Characters a DLQ id may carry as they are; anything else (and any longer id) is hashed. */
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A DLQ entry's id: one per outbox item, so a retried item that fails again reuses its entry. It
 * is `<destination>.<kind>.<item id>` when that is at most 64 plain characters (every id the agent
 * makes today). Otherwise it is a readable prefix, `~` and 96 bits of SHA-256 over the whole
 * natural id (UTF-16, so even a lone surrogate counts): cutting at 64 characters made two items
 * sharing their first 64 characters one entry, the second overwriting the first. The two forms
 * cannot meet (`~` is not a plain character); the item's own id is kept whole in `item_id`.
 */
export function dlqId(row: { destination: string; kind: string; item_id: string }): string {
  const natural = `${row.destination}.${row.kind}.${row.item_id}`;
  if (PLAIN_ID.test(natural)) return natural;
  const hash = createHash("sha256").update(natural, "utf16le").digest("hex").slice(0, 24);
  return `${natural.replace(/[^A-Za-z0-9._:-]/g, "_").slice(0, 39)}~${hash}`;
}

/** The outbox kind of a DLQ mirror: a mirror that dies is kept locally and never mirrored itself. */
const MIRROR_KIND = "dlq_item";

/**
 * The dead-letter queue: items that need a person. Every change (in, retried, discarded) is
 * mirrored to the central server through the outbox, and nothing leaves it silently.
 */
export function createDlqStore(db: SyncDb, outbox: OutboxStore, clock: DlqClock) {
  const errorsOf = db.prepare<[string, string, string], { at: string; message: string }>(
    "SELECT at, message FROM sync_errors WHERE destination = ? AND kind = ? AND item_id = ? ORDER BY id DESC LIMIT 20",
  );
  const clearErrors = db.prepare<[string, string, string]>(
    "DELETE FROM sync_errors WHERE destination = ? AND kind = ? AND item_id = ?",
  );
  const removeOutbox = db.prepare<[number, string]>("DELETE FROM outbox WHERE id = ? AND hlc = ?");
  const put = db.prepare(
    `INSERT INTO dlq (id, destination, kind, item_id, hlc, payload, attempts, reason, fingerprint, errors, status,
       discard_reason, created_at, updated_at)
     VALUES (@id, @destination, @kind, @item_id, @hlc, @payload, @attempts, @reason, @fingerprint, @errors, 'pending',
       NULL, @at, @at)
     ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, attempts = excluded.attempts, reason = excluded.reason,
       fingerprint = excluded.fingerprint, errors = excluded.errors, status = 'pending', discard_reason = NULL,
       updated_at = excluded.updated_at`,
  );
  const get = db.prepare<[string], DlqRow>("SELECT * FROM dlq WHERE id = ?");
  const setStatus = db.prepare<[string, string | null, string, string]>(
    "UPDATE dlq SET status = ?, discard_reason = ?, updated_at = ? WHERE id = ?",
  );
  const requeue = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (destination, kind, item_id) DO UPDATE SET attempts = 0, next_attempt_at = 0, last_error = NULL`,
  );
  const listPending = db.prepare<
    [string | null, string | null, string | null, string | null, number],
    DlqRow
  >(
    `SELECT * FROM dlq WHERE status = 'pending' AND (? IS NULL OR destination = ?) AND (? IS NULL OR id > ?)
     ORDER BY id LIMIT ?`,
  );
  const countPending = db.prepare<[string | null, string | null], { n: number }>(
    "SELECT count(*) AS n FROM dlq WHERE status = 'pending' AND (? IS NULL OR destination = ?)",
  );

  /**
   * Queues the entry's state for the central mirror. The payload travels as the bytes the outbox
   * held (base64), never re-parsed: whatever made the item fail (U+0000, a lone surrogate, a number
   * PostgreSQL's jsonb refuses) cannot make its mirror fail too. A dead mirror (kind `dlq_item`)
   * stays in the local DLQ only: mirroring it would nest mirrors of mirrors.
   */
  function mirror(row: DlqRow): void {
    if (row.kind === MIRROR_KIND) return;
    outbox.enqueue("central", MIRROR_KIND, row.id, clock.hlc(), {
      destination: row.destination,
      itemKind: row.kind,
      itemId: row.item_id,
      status: row.status,
      reason: row.reason.slice(0, 2000),
      fingerprint: row.fingerprint,
      attempts: row.attempts,
      errors: JSON.parse(row.errors),
      payloadBase64: Buffer.from(row.payload, "utf8").toString("base64"),
      ...(row.discard_reason ? { discardReason: row.discard_reason.slice(0, 2000) } : {}),
    });
  }

  const deadLetter = db.transaction((row: OutboxRow, reason: string, fingerprint: string) => {
    const at = clock.iso();
    const history = errorsOf.all(row.destination, row.kind, row.item_id).reverse();
    history.push({ at, message: reason.slice(0, 2000) });
    const id = dlqId(row);
    put.run({
      id,
      destination: row.destination,
      kind: row.kind,
      item_id: row.item_id,
      hlc: row.hlc,
      payload: row.payload,
      attempts: row.attempts + 1,
      reason,
      fingerprint,
      errors: JSON.stringify(history.slice(-20)),
      at,
    });
    removeOutbox.run(row.id, row.hlc);
    clearErrors.run(row.destination, row.kind, row.item_id);
    mirror(get.get(id)!);
    return id;
  });

  /** Puts a pending entry back in the outbox with a clean slate. False if there is no pending entry. */
  const retry = db.transaction((id: string): boolean => {
    const row = get.get(id);
    if (row?.status !== "pending") return false;
    // OFD documents live in the fiscal drive, not the outbox: "retried" lets the relay resume.
    if (row.destination !== "ofd") requeue.run(row.destination, row.kind, row.item_id, row.hlc, row.payload);
    setStatus.run("retried", null, clock.iso(), id);
    mirror(get.get(id)!);
    return true;
  });

  /** Gives up on a pending entry, keeping it and the reason (never a silent drop). */
  const discard = db.transaction((id: string, reason: string): boolean => {
    const row = get.get(id);
    if (row?.status !== "pending") return false;
    setStatus.run("discarded", reason, clock.iso(), id);
    mirror(get.get(id)!);
    return true;
  });

  return {
    deadLetter,
    retry,
    discard,
    get: (id: string) => get.get(id),
    list(options: { destination?: string; limit: number; cursor?: string }) {
      const destination = options.destination ?? null;
      const cursor = options.cursor ?? null;
      const rows = listPending.all(destination, destination, cursor, cursor, options.limit + 1);
      const page = rows.slice(0, options.limit);
      return {
        rows: page,
        nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
        total: countPending.get(destination, destination)!.n,
      };
    },
    pendingCount: (destination?: string) => countPending.get(destination ?? null, destination ?? null)!.n,
  };
}

export type DlqStore = ReturnType<typeof createDlqStore>;
