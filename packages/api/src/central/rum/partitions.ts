import type { SqlRunner, TransactionalSql } from "../sync/sql.ts";

/**
 * Partition upkeep of `rum_samples` (one partition per UTC day) and retention of samples and
 * rollups: run on the central server's schedule (maintenance.ts). Safe with several central
 * instances: the whole run holds a transaction-scoped advisory lock, and an instance that does not
 * get it skips the run (another is doing the same work).
 */
export interface RumPartitionPolicy {
  /** Samples (and rollups) older than this many days (UTC days before today) are dropped. Default 90. */
  retentionDays: number;
  /** Partitions exist from today to this many days ahead. Default 7. */
  aheadDays: number;
}
export const DEFAULT_RUM_POLICY: RumPartitionPolicy = { retentionDays: 90, aheadDays: 7 };

export interface RumMaintenanceResult {
  /** false when another instance held the lock. */
  ran: boolean;
  created: string[];
  dropped: string[];
  /** Rows moved from the DEFAULT partition into a day partition created for them. */
  moved: number;
  /** Rows deleted from the DEFAULT partition and rollups by retention. */
  deletedDefault: number;
  deletedRollups: number;
}

/** Key of the advisory lock ("RUM" + 11): one maintenance run at a time across instances. */
const LOCK_KEY = 0x52554d11;
const DAY_MS = 86_400_000;
const PARTITION = /^rum_samples_p(\d{4})(\d{2})(\d{2})$/;

/** rum_samples_pYYYYMMDD for the UTC day starting at `dayMs`. */
export function partitionName(dayMs: number): string {
  return `rum_samples_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

const utcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** The day partitions that exist, by start of day (ms). */
export async function listRumPartitions(sql: SqlRunner): Promise<Map<number, string>> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'rum_samples'::regclass`,
  );
  const days = new Map<number, string>();
  for (const { name } of rows) {
    const m = PARTITION.exec(name);
    if (m) days.set(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), name);
  }
  return days;
}

/**
 * Creates the partitions of these UTC days (start-of-day ms; none may exist yet), moving the rows
 * of each day out of the DEFAULT partition into it. Callers hold the maintenance lock (or own the
 * database, like the bench's seed).
 */
export async function createDayPartitions(
  sql: SqlRunner,
  days: readonly number[],
): Promise<{ created: string[]; moved: number }> {
  const created: string[] = [];
  let moved = 0;
  for (const day of [...days].sort((a, b) => a - b)) {
    const name = partitionName(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    // LIKE + ATTACH rather than PARTITION OF: ATTACH takes a lighter lock on the parent, so
    // ingest keeps writing, and the day's rows can be moved out of DEFAULT first (a partition
    // cannot be created while DEFAULT holds rows of its range).
    await sql.query(`CREATE TABLE "${name}" (LIKE rum_samples INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const rows = await sql.query<{ n: bigint }>(
      `WITH moved AS (DELETE FROM rum_samples_default WHERE at >= $1 AND at < $2 RETURNING *)
       , ins AS (INSERT INTO "${name}" SELECT * FROM moved RETURNING 1)
       SELECT count(*) AS n FROM ins`,
      [from, to],
    );
    moved += Number(rows[0]?.n ?? 0);
    await sql.query(
      `ALTER TABLE rum_samples ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    created.push(name);
  }
  return { created, moved };
}

/**
 * One maintenance run at `now`: creates the partitions of today … today + aheadDays, and of any
 * kept day whose samples sit in the DEFAULT partition (moving them in); drops partitions of days
 * before today − retentionDays whole, and deletes older rows of the DEFAULT partition and rollups.
 */
export function maintainRumPartitions(
  db: TransactionalSql,
  now: Date,
  policy: RumPartitionPolicy = DEFAULT_RUM_POLICY,
): Promise<RumMaintenanceResult> {
  return db.transaction(async (sql) => {
    const result: RumMaintenanceResult = {
      ran: false,
      created: [],
      dropped: [],
      moved: 0,
      deletedDefault: 0,
      deletedRollups: 0,
    };
    const [lock] = await sql.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [
      LOCK_KEY,
    ]);
    if (!lock?.locked) return result;
    result.ran = true;
    const today = utcDay(now.getTime());
    const cutoff = today - policy.retentionDays * DAY_MS;
    const existing = await listRumPartitions(sql);

    const wanted = new Set<number>();
    for (let d = 0; d <= policy.aheadDays; d++) wanted.add(today + d * DAY_MS);
    const strays = await sql.query<{ day: Date }>(
      `SELECT DISTINCT date_trunc('day', at, 'UTC') AS day FROM rum_samples_default WHERE at >= $1`,
      [new Date(cutoff)],
    );
    for (const { day } of strays) wanted.add(day.getTime());

    const made = await createDayPartitions(
      sql,
      [...wanted].filter((day) => !existing.has(day)),
    );
    result.created = made.created;
    result.moved = made.moved;

    for (const [day, name] of [...existing].sort(([a], [b]) => a - b)) {
      if (day >= cutoff) continue;
      await sql.query(`DROP TABLE "${name}"`);
      result.dropped.push(name);
    }
    const deletedDefault = await sql.query<{ n: bigint }>(
      "WITH d AS (DELETE FROM rum_samples_default WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM d",
      [new Date(cutoff)],
    );
    result.deletedDefault = Number(deletedDefault[0]?.n ?? 0);
    const deletedRollups = await sql.query<{ n: bigint }>(
      `WITH d AS (DELETE FROM rum_histograms WHERE grain IN ('hour', 'day', 'week') AND bucket < $1 RETURNING 1)
       SELECT count(*) AS n FROM d`,
      [new Date(cutoff)],
    );
    result.deletedRollups = Number(deletedRollups[0]?.n ?? 0);
    return result;
  });
}
