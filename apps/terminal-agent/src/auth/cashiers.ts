import type { BufferDb } from "../db/buffer.ts";

/** A cashier as the central server sends it to the till. */
export interface CashierRecord {
  id: string;
  login: string;
  name: string;
  inn?: string | null;
  /** `scrypt$N$r$p$<salt base64>$<hash base64>` (see auth/pin.ts). */
  pinHash: string;
}

/**
 * Replaces the cached cashier list with the central server's (the sync worker calls it). Lockout
 * state survives for cashiers that stay; removed cashiers lose their sessions at once.
 */
export function replaceCashiers(db: BufferDb, cashiers: readonly CashierRecord[], now = new Date()): void {
  const upsert = db.prepare(
    `INSERT INTO cashiers (id, login, name, inn, pin_hash, updated_at) VALUES (@id, @login, @name, @inn, @pinHash, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name, inn = excluded.inn,
       pin_hash = excluded.pin_hash, updated_at = excluded.updated_at`,
  );
  const ids = JSON.stringify(cashiers.map((c) => c.id));
  db.transaction(() => {
    db.prepare("DELETE FROM cashier_sessions WHERE cashier_id NOT IN (SELECT value FROM json_each(?))").run(
      ids,
    );
    db.prepare("DELETE FROM cashiers WHERE id NOT IN (SELECT value FROM json_each(?))").run(ids);
    for (const c of cashiers) {
      upsert.run({
        id: c.id,
        login: c.login,
        name: c.name,
        inn: c.inn ?? null,
        pinHash: c.pinHash,
        updatedAt: now.toISOString(),
      });
    }
  })();
}
