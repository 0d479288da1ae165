import { type TRumSample, ZStoredRumSample } from "../../rum.ts";
import { bodyHash } from "../sync/body-hash.ts";
import { accepted, duplicate, type ItemResult, rejected } from "../sync/item-result.ts";
import type { SqlRunner, TerminalScope } from "../sync/sql.ts";

/** One sample ready to store: who measured it (`source`), its id there, and where. */
export interface RumSampleRow {
  source: string;
  id: string;
  storeId: string | null;
  terminalId: string | null;
  sample: TRumSample;
}

/**
 * Stores samples and adds exactly the newly stored ones to the hourly and daily histograms, in one
 * statement: the histograms read the INSERT's RETURNING, so a redelivered sample (the key exists)
 * adds nothing — redelivery is idempotent for the percentiles too. A batch writes one histogram row
 * per metric × hour (and × day, × week) of the till, merged into the stored one (rum_merge_bins) and
 * stamped changed_at for the fleet-wide fold (fold.ts); rows are
 * written in key order, so two transactions touching the same rows (two dashboard beacons) wait,
 * never deadlock.
 */
const INSERT_SAMPLES = `
WITH v AS (
  SELECT * FROM json_to_recordset($2::json)
    AS v(source text, id text, at timestamptz, store_id text, terminal_id text, metric text, value float8,
         unit text, labels jsonb, hash text)
), ins AS (
  INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
  SELECT $1, source, id, at, store_id, terminal_id, metric, value, unit, labels, hash FROM v
  ON CONFLICT DO NOTHING
  RETURNING source, id, at, store_id, terminal_id, metric, value
), per_bin AS (
  SELECT ins.metric, g.grain, date_trunc(g.grain, ins.at, 'UTC') AS bucket, coalesce(ins.store_id, '') AS store_id,
         coalesce(ins.terminal_id, '') AS terminal_id, rum_bin(ins.value) AS bin, count(*) AS n
  FROM ins CROSS JOIN (VALUES ('hour'), ('day'), ('week')) AS g(grain)
  GROUP BY 1, 2, 3, 4, 5, 6
), rolled AS (
  INSERT INTO rum_histograms (organization_id, metric, grain, bucket, store_id, terminal_id, bins, counts)
  SELECT $1, metric, grain, bucket, store_id, terminal_id, array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
  FROM per_bin
  GROUP BY metric, grain, bucket, store_id, terminal_id
  ORDER BY metric, grain, bucket, store_id, terminal_id
  ON CONFLICT (organization_id, metric, grain, bucket, store_id, terminal_id)
  DO UPDATE SET (bins, counts, changed_at) = (
    SELECT m.bins, m.counts, now()
    FROM rum_merge_bins(rum_histograms.bins, rum_histograms.counts, EXCLUDED.bins, EXCLUDED.counts) AS m
  )
)
SELECT source, id FROM ins`;

/** The stored body of samples not inserted (their key existed): duplicate or conflict. */
const STORED = `
SELECT s.source, s.id, s.body_hash FROM rum_samples s
JOIN unnest($2::text[], $3::text[], $4::timestamptz[]) AS k(source, id, at)
  ON s.source = k.source AND s.id = k.id AND s.at = k.at
WHERE s.organization_id = $1 AND s.at >= $5 AND s.at <= $6`;

/** What the body hash covers: the sample as central reads it (a legacy payload hashes as its new shape). */
const hashOf = (sample: TRumSample) => bodyHash(sample);

/**
 * Stores samples of one organization. Returns, per `source/id`, whether it was new ("accepted"),
 * the same sample again ("duplicate") or the same key with another body ("conflict").
 */
export async function insertRumSamples(
  sql: SqlRunner,
  organizationId: string,
  rows: readonly RumSampleRow[],
): Promise<Map<string, "accepted" | "duplicate" | "conflict">> {
  const outcome = new Map<string, "accepted" | "duplicate" | "conflict">();
  if (rows.length === 0) return outcome;
  const hashes = rows.map((r) => hashOf(r.sample));
  const inserted = await sql.query<{ source: string; id: string }>(INSERT_SAMPLES, [
    organizationId,
    JSON.stringify(
      rows.map((r, i) => ({
        source: r.source,
        id: r.id,
        at: r.sample.at,
        store_id: r.storeId,
        terminal_id: r.terminalId,
        metric: r.sample.metric,
        value: r.sample.value,
        unit: r.sample.unit,
        labels: r.sample.labels,
        hash: hashes[i],
      })),
    ),
  ]);
  for (const row of inserted) outcome.set(`${row.source}/${row.id}`, "accepted");
  const rest = rows
    .map((row, i) => ({ row, hash: hashes[i]! }))
    .filter(({ row }) => !outcome.has(keyOf(row)));
  if (rest.length === 0) return outcome;
  const times = rest.map(({ row }) => Date.parse(row.sample.at));
  const stored = await sql.query<{ source: string; id: string; body_hash: string }>(STORED, [
    organizationId,
    rest.map(({ row }) => row.source),
    rest.map(({ row }) => row.id),
    rest.map(({ row }) => row.sample.at),
    new Date(Math.min(...times)),
    new Date(Math.max(...times)),
  ]);
  const byKey = new Map(stored.map((s) => [`${s.source}/${s.id}`, s.body_hash]));
  for (const { row, hash } of rest) {
    // The same key twice in one call stores the first: the second is a duplicate when equal.
    outcome.set(keyOf(row), byKey.get(keyOf(row)) === hash ? "duplicate" : "conflict");
  }
  return outcome;
}

const keyOf = (row: RumSampleRow) => `${row.source}/${row.id}`;

/** The source of a till's samples. Terminal ids are unique fleet-wide. */
export const tillSource = (terminalId: string) => `till:${terminalId}`;

export interface RumItem {
  id: string;
  data: unknown;
}

/**
 * Ingest of outbox kind `rum` (both payload shapes, ZStoredRumSample): stored in the partitioned
 * `rum_samples` (not terminal_records) with the till's organization, store and terminal, `at` as
 * measured. A payload that is no sample is rejected for the DLQ, naming the field.
 */
export async function storeRumItems(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly RumItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  const rows: RumSampleRow[] = [];
  for (const item of items) {
    const parsed = ZStoredRumSample.safeParse(item.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results.set(
        item.id,
        rejected(
          "rum",
          item.id,
          "INVALID_RUM_SAMPLE",
          `rum ${item.id}: not a RUM sample (${issue?.path.join(".") || "data"}: ${issue?.message}); expected {metric, value, unit, at, labels} or {metric, valueMs, at, labels}.`,
        ),
      );
      continue;
    }
    rows.push({
      source: tillSource(terminal.id),
      id: item.id,
      storeId: terminal.storeId,
      terminalId: terminal.id,
      sample: parsed.data,
    });
  }
  const outcome = await insertRumSamples(sql, terminal.organizationId, rows);
  for (const row of rows) {
    const status = outcome.get(keyOf(row));
    results.set(
      row.id,
      status === "accepted"
        ? accepted("rum", row.id)
        : status === "duplicate"
          ? duplicate("rum", row.id)
          : rejected(
              "rum",
              row.id,
              "RECORD_CONFLICT",
              `rum ${row.id} is already stored with a different body; the stored one is kept.`,
            ),
    );
  }
  return results;
}
