// Cash reconciliation at chain scale, on its own: `npx tsx bench/cash.ts` (apps/admin). Needs
// PostgreSQL (TEST_DATABASE_URL): a throwaway database is made on it and dropped at the end.
// Seeds bench:admin's fleet (seed-fleet.ts: 500 tills × 40 daily shifts × 50 receipts, each
// naming its shift, with the cash counters ingest keeps), then runs the backfill of the migration
// 20261124140000_receipt_shift as a check that it leaves such a database as it is (every receipt
// already has its shift; the counters are not written twice). Then times the cash procedures
// for a whole chain (the owner of the biggest organization) over one day and over seven.
// A separate file from dashboard.ts so that its p95s can be read while that bench is reworked.
// BENCH_SMOKE=1 (or --smoke): 50 tills × 10 shifts, a few runs; its figures mean nothing.
import { readFileSync } from "node:fs";
import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
import { testSessionCookie } from "@kassa/api/central/auth";
import { createCentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { createThrowawayDatabase } from "@kassa/db/testing";
import { type FleetSize, seedFleet } from "./seed-fleet.ts";

const SMOKE = process.argv.includes("--smoke") || process.env.BENCH_SMOKE === "1";
const SIZE: FleetSize = SMOKE
  ? { tills: 50, shiftsPerTill: 10, receiptsPerShift: 40, dlqItems: 10, fingerprints: 5, transitions: 10 }
  : { tills: 500, shiftsPerTill: 40, receiptsPerShift: 50, dlqItems: 10, fingerprints: 5, transitions: 10 };
const RUNS = SMOKE ? 3 : 30;
const WARMUP = SMOKE ? 1 : 3;
const P95_TARGET_MS = 100;
const SECRET = "bench-session-secret-0123456789abcdef";
const MIGRATION = new URL(
  "../../../packages/db/prisma/central/migrations/20261124140000_receipt_shift/migration.sql",
  import.meta.url,
);
/** The migration's statements after this line fill what ingest maintains from rows already stored. */
const BACKFILL_MARK = "-- BACKFILL";

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!serverUrl) {
  console.error("bench/cash.ts needs PostgreSQL: set TEST_DATABASE_URL (a throwaway database is made on it)");
  process.exit(2);
}
const throwaway = await createThrowawayDatabase(serverUrl);
const db = await createCentralDatabase({ url: throwaway.url, shared: false, poolSize: 4 });
try {
  const now = Date.now();
  const fleet = await seedFleet(db, SIZE, now);
  let backfill = "none (the migration is not in this tree)";
  try {
    const text = readFileSync(MIGRATION, "utf8");
    const at = text.indexOf(BACKFILL_MARK);
    if (at >= 0) {
      const t0 = performance.now();
      await db.sql.exec(text.slice(at));
      await db.sql.exec("ANALYZE");
      backfill = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const owner = await seedUser(db.prisma, { organizationId: fleet.organizationId, role: "owner" });
  console.log(
    `bench/cash.ts${SMOKE ? " (smoke)" : ""}: ${fleet.tills.length} tills, ${fleet.counts.receipts} receipts, ${fleet.counts.shifts} shifts; backfill ${backfill}`,
  );
  const api = createCallerFactory(centralRouter)(
    createCentralContext({
      db,
      headers: new Headers({ cookie: await testSessionCookie(db, owner.user.id, SECRET) }),
      sessionSecret: SECRET,
    }),
  ).dashboard;

  async function measure(name: string, fn: () => Promise<number>) {
    let rows = 0;
    for (let i = 0; i < WARMUP; i++) rows = await fn();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      rows = await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]! * 10) / 10;
    const p95 = at(0.95);
    console.log(`  ${name}: p50 ${at(0.5)} ms, p95 ${p95} ms over ${RUNS} runs (${rows} rows)`);
    const slug = name.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "");
    const pass = SMOKE ? null : p95 <= P95_TARGET_MS;
    console.log(JSON.stringify({ figure: `${slug}_p95`, value: p95, unit: "ms", target: "<=100", pass }));
  }
  const today = new Date(now).toISOString().slice(0, 10);
  const week = { dayFrom: new Date(now - 6 * 86_400_000).toISOString().slice(0, 10), dayTo: today };
  await measure("cash.shifts today", async () => (await api.cash.shifts({})).total);
  await measure("cash.days today", async () => (await api.cash.days({})).days.length);
  await measure("cash.shifts week", async () => (await api.cash.shifts(week)).total);
  await measure("cash.days week", async () => (await api.cash.days(week)).days.length);
  // The figures must be the seed's: every closed shift complete, one in ten 150 ₽ short.
  const days = await api.cash.shifts(week);
  console.log(
    `  week: ${days.total} shifts, ${days.counts.provisional} provisional, ${days.counts.needsApproval} need approval`,
  );
} finally {
  await db.close();
  await throwaway.drop();
}
