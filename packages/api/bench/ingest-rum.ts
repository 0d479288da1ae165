/**
 * bench:ingest, RUM in the mix (issue 11): the same comparison as ingest.ts — Kassa's ingest.push
 * against a raw `pg` INSERT … ON CONFLICT DO NOTHING of the same rows — for batches where every
 * receipt travels with its RUM samples (accept commit and print phases, printer time), as a till
 * sends them. Kassa's side also adds each new sample to the hourly and daily histograms; the floor
 * only inserts rows. Target: ratio ≥ 0.5.
 */
import { performance } from "node:perf_hooks";
import type { CentralDatabase } from "@kassa/db/central";
import type pg from "pg";
import { createCentralContext } from "../src/central/context.ts";
import { centralRouter } from "../src/central/router.ts";
import { maintainRumPartitions } from "../src/central/rum/partitions.ts";
import { bodyHash } from "../src/central/sync/body-hash.ts";
import { hlcAt, sampleReceiptItem } from "../src/central/sync/sample-receipts.ts";
import type { SeededTerminal } from "../src/central/sync/test-central.ts";
import { createCallerFactory } from "../src/central/trpc.ts";

const RUM_METRICS = ["receipt.accept.commit", "receipt.accept.print", "printer.duration"] as const;

type Item = ReturnType<typeof sampleReceiptItem> | { kind: "rum"; id: string; hlc: string; data: RumData };
type RumData = { metric: string; value: number; unit: "ms"; at: string; labels: Record<string, string> };

/** Receipts 1…n, each followed by its three RUM samples (HLC order, like the till's outbox). */
export function mixedItems(receipts: number): Item[] {
  const items: Item[] = [];
  for (let n = 1; n <= receipts; n++) {
    const receipt = sampleReceiptItem(n);
    items.push(receipt);
    const at = receipt.data.acceptedAt;
    RUM_METRICS.forEach((metric, m) => {
      items.push({
        kind: "rum",
        id: `rum-${n}-${m}`,
        hlc: hlcAt(Date.parse(at), 10 + m),
        data: { metric, value: 5 + ((n * 37 + m * 11) % 400) + (n % 7) / 10, unit: "ms", at, labels: {} },
      });
    });
  }
  return items;
}

export async function measureRumMix(options: {
  db: CentralDatabase;
  pool: pg.Pool;
  rawTerminals: SeededTerminal[];
  ingestTerminals: SeededTerminal[];
  receiptsPerTerminal: number;
  batch: number;
}): Promise<{ rawRate: number; ingestRate: number; ratio: number; samplesStored: number; expected: number }> {
  const { db, pool, batch } = options;
  await maintainRumPartitions(db.sql, new Date());
  const items = mixedItems(options.receiptsPerTerminal);
  const hashes = new Map(items.map((item) => [item, bodyHash(item.data)]));

  async function rawInsert(terminal: SeededTerminal, slice: Item[]): Promise<void> {
    const receipts = slice.filter((i): i is ReturnType<typeof sampleReceiptItem> => i.kind === "receipt");
    const rum = slice.filter((i): i is Extract<Item, { kind: "rum" }> => i.kind === "rum");
    if (receipts.length > 0) {
      const values: unknown[] = [];
      const tuples = receipts.map((item, i) => {
        const d = item.data;
        values.push(
          terminal.organizationId,
          terminal.id,
          terminal.storeId,
          item.id,
          d.idempotencyKey,
          hashes.get(item),
          d.seq,
          item.hlc,
          d.kind,
          d.taxSystem,
          d.cashier.name,
          d.total,
          0,
          d.change,
          JSON.stringify(d.items),
          JSON.stringify(d.payments),
          d.acceptedAt,
        );
        return `(${Array.from({ length: 17 }, (_, c) => `$${i * 17 + c + 1}`).join(",")})`;
      });
      await pool.query(
        `INSERT INTO receipts (organization_id, terminal_id, store_id, id, idempotency_key, body_hash, seq, hlc, kind,
           tax_system, cashier_name, total, cash_total, change, items, payments, accepted_at)
         VALUES ${tuples.join(",")} ON CONFLICT DO NOTHING`,
        values,
      );
    }
    if (rum.length > 0) {
      const values: unknown[] = [];
      const tuples = rum.map((item, i) => {
        values.push(
          terminal.organizationId,
          `till:${terminal.id}`,
          item.id,
          item.data.at,
          terminal.storeId,
          terminal.id,
          item.data.metric,
          item.data.value,
          item.data.unit,
          "{}",
          hashes.get(item),
        );
        return `(${Array.from({ length: 11 }, (_, c) => `$${i * 11 + c + 1}`).join(",")})`;
      });
      await pool.query(
        `INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
         VALUES ${tuples.join(",")} ON CONFLICT DO NOTHING`,
        values,
      );
    }
  }

  const createCaller = createCallerFactory(centralRouter);
  async function ingest(terminal: SeededTerminal, slice: Item[]): Promise<void> {
    const caller = createCaller(
      createCentralContext({ db, headers: new Headers({ authorization: `Bearer ${terminal.key}` }) }),
    );
    const answer = await caller.ingest.push({
      terminalId: terminal.id,
      holder: "bench",
      leaseToken: null,
      sentAtMs: Date.now(),
      hlc: hlcAt(Date.now()),
      items: slice,
    });
    if (answer.results.some((r) => r.status !== "accepted")) throw new Error("ingest refused a bench item");
  }

  async function timed(terminals: SeededTerminal[], fn: (t: SeededTerminal, b: Item[]) => Promise<void>) {
    const started = performance.now();
    for (const terminal of terminals)
      for (let i = 0; i < items.length; i += batch) await fn(terminal, items.slice(i, i + batch));
    return (terminals.length * items.length) / ((performance.now() - started) / 1000);
  }

  const half = options.rawTerminals.length / 2;
  const raw1 = await timed(options.rawTerminals.slice(0, half), rawInsert);
  const ing1 = await timed(options.ingestTerminals.slice(0, half), ingest);
  const ing2 = await timed(options.ingestTerminals.slice(half), ingest);
  const raw2 = await timed(options.rawTerminals.slice(half), rawInsert);
  const rawRate = (raw1 + raw2) / 2;
  const ingestRate = (ing1 + ing2) / 2;
  const [stored] = await db.sql.query<{ n: bigint }>(
    "SELECT count(*) AS n FROM rum_samples WHERE terminal_id = ANY($1::text[])",
    [options.ingestTerminals.map((t) => t.id)],
  );
  return {
    rawRate,
    ingestRate,
    ratio: ingestRate / rawRate,
    samplesStored: Number(stored?.n ?? 0),
    expected: options.ingestTerminals.length * options.receiptsPerTerminal * RUM_METRICS.length,
  };
}
