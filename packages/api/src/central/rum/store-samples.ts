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
 * Stores one origin's samples (a till's, or a dashboard user's) and adds exactly the newly stored
 * ones to the hourly, daily and weekly histograms, in one statement: the histograms read the
 * INSERT's RETURNING, so a redelivered sample (the key exists) adds nothing — redelivery is
 * idempotent for the percentiles too. The origin (source, store, till) is one parameter, not a
 * field of every sample. Samples are binned once per hour; days and weeks add up the hours. A
 * batch writes one histogram row per metric × hour (and × day, × week), merged into the stored one
 * (rum_merge_bins) and stamped changed_at for the fleet-wide fold (fold.ts); rows are written in
 * key order, so two transactions touching the same rows (two dashboard beacons) wait, never deadlock.
 */
const INSERT_SAMPLES = `
WITH v AS (
  SELECT * FROM json_to_recordset($5::json)
    AS v(id text, at timestamptz, metric text, value float8, unit text, labels jsonb, hash text)
), ins AS (
  INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
  SELECT $1, $2, id, at, $3, $4, metric, value, unit, labels, hash FROM v
  ON CONFLICT DO NOTHING
  RETURNING id, at, metric, value
), per_hour AS (
  SELECT metric, date_trunc('hour', at, 'UTC') AS hour, rum_bin(value) AS bin, count(*) AS n
  FROM ins GROUP BY 1, 2, 3
), per_bin AS (
  SELECT metric, 'hour' AS grain, hour AS bucket, bin, n FROM per_hour
  UNION ALL
  SELECT metric, g.grain, date_trunc(g.grain, hour, 'UTC'), bin, sum(n)::bigint
  FROM per_hour CROSS JOIN (VALUES ('day'), ('week')) AS g(grain)
  GROUP BY 1, 2, 3, 4
), rolled AS (
  INSERT INTO rum_histograms (organization_id, metric, grain, bucket, store_id, terminal_id, bins, counts)
  SELECT $1, metric, grain, bucket, coalesce($3, ''), coalesce($4, ''), array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
  FROM per_bin
  GROUP BY metric, grain, bucket
  ORDER BY metric, grain, bucket
  ON CONFLICT (organization_id, metric, grain, bucket, store_id, terminal_id)
  DO UPDATE SET (bins, counts, changed_at) = (
    SELECT m.bins, m.counts, now()
    FROM rum_merge_bins(rum_histograms.bins, rum_histograms.counts, EXCLUDED.bins, EXCLUDED.counts) AS m
  )
)
SELECT id FROM ins`;

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
  // One statement per origin: a till's batch and a dashboard beacon are one origin each.
  const origins = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const origin = JSON.stringify([row.source, row.storeId, row.terminalId]);
    const indexes = origins.get(origin);
    if (indexes) indexes.push(i);
    else origins.set(origin, [i]);
  });
  for (const indexes of origins.values()) {
    const { source, storeId, terminalId } = rows[indexes[0]!]!;
    const inserted = await sql.query<{ id: string }>(INSERT_SAMPLES, [
      organizationId,
      source,
      storeId,
      terminalId,
      JSON.stringify(
        indexes.map((i) => {
          const { sample } = rows[i]!;
          return {
            id: rows[i]!.id,
            at: sample.at,
            metric: sample.metric,
            value: sample.value,
            unit: sample.unit,
            labels: sample.labels,
            hash: hashes[i],
          };
        }),
      ),
    ]);
    for (const row of inserted) outcome.set(`${source}/${row.id}`, "accepted");
  }
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
