import type { SyncDb } from "./types.ts";

/**
 * A lease in the buffer itself, so two agent processes started on one data directory never both
 * sync: the row is taken or renewed in one statement (SQLite serializes writers), and only while
 * it is free, expired, or already ours.
 */
export function createLocalLease(db: SyncDb, holder: string, ttlMs: number, name = "sync") {
  const take = db.prepare<[string, string, number, number]>(
    `INSERT INTO sync_lease (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE sync_lease.holder = excluded.holder OR sync_lease.expires_at < ?`,
  );
  const release = db.prepare<[string, string]>("DELETE FROM sync_lease WHERE name = ? AND holder = ?");
  const current = db.prepare<[string], { holder: string; expires_at: number }>(
    "SELECT holder, expires_at FROM sync_lease WHERE name = ?",
  );
  /** Until when we hold it, as last written (only this process extends its own lease). */
  let heldUntil = 0;
  return {
    holder,
    /** True when this process holds the lease until `nowMs + ttlMs`. */
    acquire(nowMs: number): boolean {
      const ok = take.run(name, holder, nowMs + ttlMs, nowMs).changes === 1;
      heldUntil = ok ? nowMs + ttlMs : 0;
      return ok;
    },
    /**
     * Keeps the lease during a long round: writes (an fsync with synchronous=FULL) only once half
     * the lease has gone by; before that nobody else can have taken it.
     */
    renew(nowMs: number): boolean {
      if (nowMs < heldUntil - ttlMs / 2) return true;
      return this.acquire(nowMs);
    },
    release(): void {
      heldUntil = 0;
      release.run(name, holder);
    },
    holderNow(): { holder: string; expiresAt: number } | null {
      const row = current.get(name);
      return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
    },
  };
}

export type LocalLease = ReturnType<typeof createLocalLease>;
