// Dashboard query latency on a realistic fleet: `npx tsx bench/dashboard.ts [terminals] [receipts per terminal]`.
// Uses TEST_DATABASE_URL's server (a throwaway database) when set, else embedded PGlite in a temp dir.
// Prints one JSON line per measurement: {name, runs, p50Ms, p95Ms, rows}.
import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
import { createSessionToken, SESSION_COOKIE } from "@kassa/api/central/auth";
import { newId } from "@kassa/db/central";
import { seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";

const terminals = Number(process.argv[2] ?? 200);
const perTerminal = Number(process.argv[3] ?? 100);
const SECRET = "bench-session-secret-0123456789abcdef";

const db = await createTestCentralDatabase();
try {
  const started = performance.now();
  const store = await seedStore(db.prisma, { name: "Bench store" });
  const { organizationId } = store;
  const stores = [
    store,
    ...(await Promise.all([1, 2, 3].map(() => seedStore(db.prisma, { organizationId })))),
  ];
  const terminalRows = [];
  for (let i = 0; i < terminals; i++) {
    const s = stores[i % stores.length]!;
    terminalRows.push(
      (await seedTerminal(db.prisma, { organizationId, storeId: s.id, lastSyncAt: new Date() })).terminal,
    );
  }
  const now = Date.now();
  const rows = terminalRows.flatMap((t) =>
    Array.from({ length: perTerminal }, (_, n) => {
      const acceptedAt = new Date(now - (perTerminal - n) * 60_000);
      return {
        organizationId,
        terminalId: t.id,
        storeId: t.storeId,
        id: newId(acceptedAt.getTime()),
        idempotencyKey: `bench-${t.id}-${n}`,
        bodyHash: "0".repeat(64),
        seq: BigInt(n + 1),
        hlc: `${acceptedAt.getTime()}.00000`,
        kind: "sale" as const,
        taxSystem: "osn",
        cashierName: "Bench",
        total: 15_000n,
        cashTotal: 15_000n,
        change: 0n,
        items: [{ name: "Coffee", price: 15_000, quantity: 1, sum: 15_000, vat: "vat20" }],
        payments: [{ type: "cash", amount: 15_000 }],
        acceptedAt,
        ...(n % 2 === 0
          ? { fdNumber: n + 1, fiscalSign: "1", fnNumber: "1", shiftNumber: 1, fiscalizedAt: acceptedAt }
          : {}),
      };
    }),
  );
  for (let i = 0; i < rows.length; i += 2_000)
    await db.prisma.receipt.createMany({ data: rows.slice(i, i + 2_000) });
  const owner = await seedUser(db.prisma, { organizationId, role: "owner" });
  console.log(
    JSON.stringify({
      setup: {
        database: db.kind,
        terminals,
        receipts: rows.length,
        seconds: (performance.now() - started) / 1000,
      },
    }),
  );

  const headers = new Headers({
    cookie: `${SESSION_COOKIE}=${createSessionToken({ userId: owner.user.id, expiresAt: new Date(now + 3_600_000) }, SECRET)}`,
  });
  const caller = createCallerFactory(centralRouter)(
    createCentralContext({ db, headers, sessionSecret: SECRET }),
  );

  async function measure(name: string, fn: () => Promise<number>, runs = 20) {
    let rowsSeen = await fn(); // warm-up: connection, Prisma's query plan cache
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      rowsSeen = await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
    console.log(JSON.stringify({ name, runs, p50Ms: at(0.5), p95Ms: at(0.95), rows: rowsSeen }));
  }

  type Page = Awaited<ReturnType<typeof caller.dashboard.receipts.list>>;
  await measure("fleet.list", async () => (await caller.dashboard.fleet.list()).terminals.length);
  await measure(
    "receipts.list first page",
    async () => (await caller.dashboard.receipts.list({})).receipts.length,
  );
  await measure(
    "receipts.list one store, fiscalized",
    async () =>
      (await caller.dashboard.receipts.list({ storeId: stores[1]!.id, status: "fiscalized" })).receipts
        .length,
  );
  let page: Page = await caller.dashboard.receipts.list({ limit: 100 });
  for (let i = 0; i < 9 && page.nextCursor; i++)
    page = await caller.dashboard.receipts.list({ limit: 100, cursor: page.nextCursor });
  const deepCursor = page.nextCursor ?? undefined;
  await measure(
    "receipts.list page 11 (cursor)",
    async () => (await caller.dashboard.receipts.list({ cursor: deepCursor })).receipts.length,
  );
  const one = page.receipts[0]!;
  await measure("receipts.get", async () => {
    await caller.dashboard.receipts.get({ terminalId: one.terminalId, receiptId: one.id });
    return 1;
  });
} finally {
  await db.close();
}
