import type { SqlRunner } from "./sql.ts";

/** A store, fleet-wide: store ids are unique per organization only. */
export interface StoreKey {
  organizationId: string;
  storeId: string;
}

/** Outcome of one attempt at a store's shared slot. */
export type SlotAttempt = "taken" | "full";

/**
 * Where the per-store admission slots live. In PostgreSQL (`pgStoreSlots`) every central instance
 * counts the same pushes, so the per-store limit holds however many instances serve the store.
 */
export interface StoreSlots {
  /** Takes one of the store's `limit` slots for `holder` (one id per push) for `ttlMs`. */
  take(store: StoreKey, limit: number, holder: string, ttlMs: number): Promise<SlotAttempt>;
  /** Extends a held slot (a push still running when half its time is gone). */
  renew(store: StoreKey, holder: string, ttlMs: number): Promise<void>;
  /** Frees the holder's slot (never another holder's, even one that re-took it after expiry). */
  release(store: StoreKey, holder: string): Promise<void>;
}

// One statement, no transaction: the slot is visible to every instance the moment it is taken.
// `free` lists the unheld or expired slots; one of them (at random, so instances racing for the
// store rarely pick the same) is inserted, or re-taken if expired. Losing a race for that slot
// returns no row while `free` was not empty: the caller then simply tries again. Times are
// PostgreSQL's (clock_timestamp), so instances with skewed clocks agree on expiry.
const TAKE = `
WITH free AS (
  SELECT s.slot FROM generate_series(0, $3::int - 1) AS s(slot)
  WHERE NOT EXISTS (
    SELECT 1 FROM ingest_admission_slots a
    WHERE a.organization_id = $1 AND a.store_id = $2 AND a.slot = s.slot AND a.expires_at > clock_timestamp())
), pick AS (SELECT slot FROM free ORDER BY random() LIMIT 1),
taken AS (
  INSERT INTO ingest_admission_slots AS a (organization_id, store_id, slot, holder, expires_at)
  SELECT $1, $2, slot, $4, clock_timestamp() + make_interval(secs => $5::double precision / 1000) FROM pick
  ON CONFLICT (organization_id, store_id, slot) DO UPDATE
    SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE a.expires_at <= clock_timestamp()
  RETURNING slot)
SELECT (SELECT count(*) FROM free)::int AS free, (SELECT slot FROM taken) AS slot`;

const RENEW = `
UPDATE ingest_admission_slots SET expires_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
WHERE organization_id = $1 AND store_id = $2 AND holder = $3`;

const RELEASE =
  "DELETE FROM ingest_admission_slots WHERE organization_id = $1 AND store_id = $2 AND holder = $3";

/** The per-store slots in the central database's `ingest_admission_slots` table. */
export function pgStoreSlots(sql: SqlRunner): StoreSlots {
  return {
    async take(store, limit, holder, ttlMs) {
      // Each lost race means another push took a slot, so `limit` attempts always settle it.
      for (let attempt = 0; attempt < limit; attempt++) {
        const [row] = await sql.query<{ free: number; slot: number | null }>(TAKE, [
          store.organizationId,
          store.storeId,
          limit,
          holder,
          ttlMs,
        ]);
        if (row?.slot !== null && row?.slot !== undefined) return "taken";
        if (!row || row.free === 0) return "full";
      }
      return "full";
    },
    async renew(store, holder, ttlMs) {
      await sql.query(RENEW, [store.organizationId, store.storeId, holder, ttlMs]);
    },
    async release(store, holder) {
      await sql.query(RELEASE, [store.organizationId, store.storeId, holder]);
    },
  };
}
