import type { TransactionalSql } from "../sync/sql.ts";

/**
 * Fleet-wide histograms: each organization × metric × grain × bucket folded from its tills' (and
 * the dashboard's) rows into one row with store_id = terminal_id = '*', which fleet-wide reads use
 * instead of one row per till. Ingest cannot keep these rows itself: every till's batch would wait
 * for the same row lock. So ingest stamps what it changes (`changed_at`, its transaction's start)
 * and this fold, on the central schedule, recomputes every group changed since the newest fold
 * minus FOLD_OVERLAP_MS — an ingest transaction that began before the last fold and committed
 * after it is still caught, as long as it lasted less than the overlap. A recompute is a full
 * merge of the group's rows, so folding a group twice is harmless.
 */
export const FOLD_OVERLAP_MS = 5 * 60_000;
/** Key of the fold's advisory lock ("RUM" + 12): one fold at a time across instances. */
const FOLD_LOCK_KEY = 0x52554d12;

const FOLD = `
WITH touched AS (
  SELECT DISTINCT organization_id, metric, grain, bucket FROM rum_histograms
  WHERE changed_at >= $1 AND store_id <> '*'
), per_bin AS (
  SELECT h.organization_id, h.metric, h.grain, h.bucket, b.bin, sum(b.n::float8)::bigint AS n
  FROM rum_histograms h
  JOIN touched t USING (organization_id, metric, grain, bucket)
  CROSS JOIN LATERAL unnest(h.bins, h.counts) AS b(bin, n)
  WHERE h.store_id <> '*'
  GROUP BY 1, 2, 3, 4, 5
), folded AS (
  INSERT INTO rum_histograms (organization_id, metric, grain, bucket, store_id, terminal_id, bins, counts, changed_at)
  SELECT organization_id, metric, grain, bucket, '*', '*', array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin), now()
  FROM per_bin GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, metric, grain, bucket, store_id, terminal_id)
  DO UPDATE SET bins = EXCLUDED.bins, counts = EXCLUDED.counts, changed_at = EXCLUDED.changed_at
  RETURNING 1
)
SELECT count(*) AS n FROM folded`;

/**
 * One fold. Its stamp on the rows it writes is the database's clock (its transaction's start), the
 * clock ingest stamps with — so "changed since the last fold" never compares two machines' clocks.
 * `everything` refolds every group (the bench's seed; a repair). Returns the number of fleet-wide
 * rows written, or null when another instance held the lock.
 */
export function foldRumHistograms(
  db: TransactionalSql,
  options: { everything?: boolean } = {},
): Promise<number | null> {
  return db.transaction(async (sql) => {
    const [lock] = await sql.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [
      FOLD_LOCK_KEY,
    ]);
    if (!lock?.locked) return null;
    let since = new Date(0);
    if (!options.everything) {
      const [newest] = await sql.query<{ at: Date | null }>(
        "SELECT max(changed_at) AS at FROM rum_histograms WHERE store_id = '*'",
      );
      if (newest?.at) since = new Date(newest.at.getTime() - FOLD_OVERLAP_MS);
    }
    const [row] = await sql.query<{ n: bigint }>(FOLD, [since]);
    return Number(row?.n ?? 0);
  });
}
