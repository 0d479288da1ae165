import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralContext } from "../context.ts";
import { centralRegistry } from "../metrics.ts";
import { centralRouter } from "../router.ts";
import { hlcAt } from "../sync/sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";
import { scrapeCentralMetrics } from "./server-metrics.ts";

// /metrics' ingest figures move with what ingest.push answers (PGlite).

let db: CentralDatabase;
let dispose: () => Promise<void>;
let till: SeededTerminal;
const now = new Date("2026-12-01T10:00:00Z");

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral(""));
  till = (await seedFleet(db))[0]!;
}, 60_000);
afterAll(async () => dispose?.());

const value = async (name: string, labels: Record<string, string> = {}, series = name) => {
  const metric = await centralRegistry.getSingleMetric(name)!.get();
  const match = metric.values.filter(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === series &&
      Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
  );
  return match.reduce((n, v) => n + v.value, 0);
};

describe("central /metrics", () => {
  it("counts items by kind and status, batch sizes and database time, and pings the database on scrape", {
    timeout: 20_000,
  }, async () => {
    const before = await value("kassa_central_ingest_items_total", { kind: "rum", status: "accepted" });
    const batchesBefore = await value(
      "kassa_central_ingest_batch_items",
      {},
      "kassa_central_ingest_batch_items_count",
    );
    const caller = createCallerFactory(centralRouter)(
      createCentralContext({
        db,
        headers: new Headers({ authorization: `Bearer ${till!.key}` }),
        now: () => now,
      }),
    );
    const sample = { metric: "printer.duration", value: 900, unit: "ms", at: now.toISOString(), labels: {} };
    await caller.ingest.push({
      terminalId: till!.id,
      holder: "agent-a",
      leaseToken: null,
      sentAtMs: now.getTime(),
      hlc: hlcAt(now.getTime()),
      items: [
        { kind: "rum", id: "m-1", hlc: hlcAt(now.getTime(), 1), data: sample },
        { kind: "rum", id: "m-2", hlc: hlcAt(now.getTime(), 2), data: sample },
        { kind: "rum", id: "m-3", hlc: hlcAt(now.getTime(), 3), data: { nope: true } },
      ],
    });
    expect(await value("kassa_central_ingest_items_total", { kind: "rum", status: "accepted" })).toBe(
      before + 2,
    );
    expect(
      await value("kassa_central_ingest_items_total", { kind: "rum", status: "rejected" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await value("kassa_central_ingest_batch_items", {}, "kassa_central_ingest_batch_items_count"),
    ).toBe(batchesBefore + 1);
    const text = await scrapeCentralMetrics(db.sql);
    expect(text).toMatch(/kassa_central_ingest_transaction_seconds_count \d+/);
    expect(text).toMatch(/kassa_central_db_ping_seconds 0\.\d+/);
    expect(text).toContain("kassa_central_ingest_admission_refusals_total");
  });
});
