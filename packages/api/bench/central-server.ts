/**
 * A real central server process for the agent's sync tests and benchmarks: a throwaway database
 * (TEST_DATABASE_URL's server, else PGlite), a seeded fleet, the central router over HTTP, and a
 * few `/__test/*` controls (stats, faults, DLQ commands, dashboard users) that only this script serves.
 *
 *   tsx bench/central-server.ts [--stores N] [--per-store N] [--pool N] [--per-store-limit N]
 *                               [--database-url URL]
 *
 * `--database-url` serves an existing database instead (migrated, never dropped; `--stores 0` seeds
 * nothing): several processes on one URL are several central instances on one PostgreSQL.
 *
 * Prints one JSON line `{"url": …, "terminals": [{id, key, storeId, organizationId}]}` when ready;
 * exits (dropping the database) on SIGTERM or when stdin closes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { createCentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { testSessionCookie } from "../src/central/auth/index.ts";
import { ingestAdmission } from "../src/central/sync/admission.ts";
import { upsertCashier } from "../src/central/sync/cashiers.ts";
import { issueDlqCommand } from "../src/central/sync/commands.ts";
import { leaseSettings } from "../src/central/sync/leases.ts";
import { startStandaloneCentral } from "../src/central/sync/standalone-server.ts";
import { openThrowawayCentral, seedFleet } from "../src/central/sync/test-central.ts";

const { values } = parseArgs({
  options: {
    stores: { type: "string", default: "1" },
    "per-store": { type: "string", default: "2" },
    pool: { type: "string", default: "10" },
    "per-store-limit": { type: "string" },
    "total-limit": { type: "string" },
    port: { type: "string", default: "0" },
    "lease-ttl-ms": { type: "string" },
    "max-wait-ms": { type: "string" },
    "database-url": { type: "string" },
  },
});

if (values["per-store-limit"]) ingestAdmission.configure({ perStore: Number(values["per-store-limit"]) });
if (values["max-wait-ms"]) ingestAdmission.configure({ maxWaitMs: Number(values["max-wait-ms"]) });
if (values["lease-ttl-ms"]) leaseSettings.ttlMs = Number(values["lease-ttl-ms"]);
if (values["total-limit"]) ingestAdmission.configure({ total: Number(values["total-limit"]) });

const { db, dispose } = values["database-url"]
  ? await openSharedCentral(values["database-url"], Number(values.pool))
  : await openThrowawayCentral(
      process.env.TEST_DATABASE_URL || process.env.DATABASE_URL,
      Number(values.pool),
    );
const terminals =
  Number(values.stores) > 0
    ? await seedFleet(db, { stores: Number(values.stores), perStore: Number(values["per-store"]) })
    : [];

/** Another instance's database: this process only serves it, so it leaves it in place at exit. */
async function openSharedCentral(url: string, poolSize: number) {
  const db = await createCentralDatabase({ url, shared: false, poolSize, log: () => {} });
  return { db, dispose: () => db.close() };
}

/** Signs this process's dashboard sessions (`/__test/user` cookies; the standalone server checks them). */
const SESSION_SECRET = "central-server-test-session-secret-0123";

/** The central clock runs `offsetMs` ahead of real time (lease expiry without sleeping). */
const clock = { offsetMs: 0 };

/** Server-side faults the fault-matrix tests switch on and off. */
const fault = {
  mode: "none" as "none" | "status" | "delay" | "drop" | "poison",
  status: 500,
  delayMs: 0,
  remaining: -1,
  /** For "poison": requests whose body contains this text fail with `status` (a bug one item trips). */
  needle: "",
};

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
  return true;
}

async function intercept(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/__test/stats") {
    const receipts = await db.sql.query(
      "SELECT terminal_id, count(*) AS n, count(DISTINCT id) AS distinct_ids, count(fd_number) AS fiscalized FROM receipts GROUP BY terminal_id",
    );
    const dlq = await db.sql.query(
      "SELECT terminal_id, id, item_kind, item_id, status, reason FROM dlq_items ORDER BY id",
    );
    const breakers = await db.sql.query(
      "SELECT terminal_id, destination, from_state, to_state, cause FROM breaker_transitions ORDER BY at, id",
    );
    const commands = await db.sql.query(
      "SELECT id, action, acked_at, outcome FROM sync_commands ORDER BY issued_at",
    );
    const records = await db.sql.query("SELECT kind, count(*) AS n FROM terminal_records GROUP BY kind");
    const skew = await db.sql.query("SELECT id, clock_skew_ms, last_sync_at FROM terminals ORDER BY id");
    const state = await db.sql.query("SELECT * FROM terminal_sync_state ORDER BY terminal_id");
    return json(res, 200, { receipts, dlq, breakers, commands, records, skew, state });
  }
  if (url.pathname === "/__test/rum") {
    // A till's RUM samples as central stored them: the partitioned rum_samples table once ingest
    // writes there (issue 11), terminal_records (kind rum) before; each with its original `at`.
    const terminalId = url.searchParams.get("terminal") ?? "";
    const [{ partitioned }] = (await db.sql.query(
      "SELECT to_regclass('rum_samples') IS NOT NULL AS partitioned",
    )) as [{ partitioned: boolean }];
    const stored = partitioned
      ? ((await db.sql.query(
          "SELECT metric, value, unit, at, labels FROM rum_samples WHERE terminal_id = $1 ORDER BY at, id",
          [terminalId],
        )) as { metric: string; value: number; unit: string; at: Date; labels: unknown }[])
      : [];
    const records = (await db.sql.query(
      "SELECT data FROM terminal_records WHERE kind = 'rum' AND terminal_id = $1",
      [terminalId],
    )) as {
      data: { metric: string; value?: number; valueMs?: number; unit?: string; at: string; labels?: unknown };
    }[];
    const samples = [
      ...stored.map((row) => ({ ...row, value: Number(row.value), at: new Date(row.at).toISOString() })),
      ...records.map(({ data }) => ({
        metric: data.metric,
        value: data.value ?? data.valueMs,
        unit: data.unit ?? "ms",
        at: new Date(data.at).toISOString(),
        labels: data.labels ?? {},
      })),
    ];
    return json(res, 200, { samples });
  }
  if (url.pathname === "/__test/admission") {
    // This instance's pushes in flight (the per-store limit is shared; this count is not).
    return json(res, 200, { active: ingestAdmission.active });
  }
  if (url.pathname === "/__test/fault") {
    Object.assign(fault, JSON.parse(body.toString() || "{}"));
    return json(res, 200, fault);
  }
  if (url.pathname === "/__test/clock") {
    Object.assign(clock, JSON.parse(body.toString() || "{}"));
    return json(res, 200, clock);
  }
  if (url.pathname === "/__test/cashier") {
    await upsertCashier(db.sql, JSON.parse(body.toString()), new Date());
    return json(res, 200, { ok: true });
  }
  if (url.pathname === "/__test/user") {
    // A dashboard user of the seeded organization and a session cookie for them (an hour).
    const input = JSON.parse(body.toString()) as {
      organizationId: string;
      role: string;
      storeIds?: string[];
    };
    const { user } = await seedUser(db.prisma, {
      organizationId: input.organizationId,
      role: input.role as "owner" | "manager" | "support",
      storeIds: input.storeIds ?? [],
    });
    const cookie = await testSessionCookie(db, user.id, SESSION_SECRET);
    return json(res, 200, { id: user.id, email: user.email, cookie });
  }
  if (url.pathname === "/__test/command") {
    const input = JSON.parse(body.toString());
    const id = await issueDlqCommand(db.sql, input, new Date());
    return json(res, 200, { id });
  }
  if (fault.mode === "poison" && url.pathname.startsWith("/api/trpc")) {
    return body.includes(fault.needle)
      ? json(res, fault.status, { error: { message: "injected poison" } })
      : false;
  }
  if (fault.mode !== "none" && url.pathname.startsWith("/api/trpc") && fault.remaining !== 0) {
    if (fault.remaining > 0) fault.remaining -= 1;
    if (fault.mode === "status") return json(res, fault.status, { error: { message: "injected fault" } });
    if (fault.mode === "drop") {
      req.socket.destroy();
      return true;
    }
    if (fault.mode === "delay") await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  }
  return false;
}

const server = await startStandaloneCentral({
  db,
  port: Number(values.port),
  intercept,
  now: () => new Date(Date.now() + clock.offsetMs),
  // Dashboard calls over HTTP (the DLQ triage test's support user) carry cookies signed with it.
  sessionSecret: SESSION_SECRET,
});
process.stdout.write(`${JSON.stringify({ url: server.url, kind: db.kind, terminals })}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await server.close();
  await dispose();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
process.stdin.on("end", () => void shutdown());
process.stdin.resume();
