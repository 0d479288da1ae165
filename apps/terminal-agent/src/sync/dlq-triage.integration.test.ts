import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSyncWorker } from "./index.ts";
import {
  type CentralProcess,
  enqueueReceipt,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// DLQ triage end to end: a real agent sync worker dead-letters receipts the central server chokes
// on, the central process (its own database, HTTP) is fixed, a support user retries the group
// through the dashboard API, and the till receives the commands on its next sync, applies them,
// delivers the receipts, and the items leave the DLQ centrally. Agent time is a fake clock.

const T0 = Date.UTC(2026, 10, 24, 7, 0, 0);
let nowMs = T0;
let central: CentralProcess;

vi.setConfig({ testTimeout: 60_000 });

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
}, 90_000);
afterAll(async () => central?.stop());

interface DashboardUser {
  cookie: string;
  email: string;
}

async function dashboardUser(role: "support" | "manager"): Promise<DashboardUser> {
  // A manager sees the stores they are given (an empty list is none): here every store of the tills.
  const storeIds = role === "manager" ? [...new Set(central.terminals.map((t) => t.storeId))] : [];
  const response = await fetch(`${central.url}/__test/user`, {
    method: "POST",
    body: JSON.stringify({ organizationId: central.terminals[0]!.organizationId, role, storeIds }),
  });
  return (await response.json()) as DashboardUser;
}

/** One dashboard call over HTTP as the Next.js app serves it (tRPC, superjson: `{ json: input }`). */
async function dashboard(
  user: DashboardUser,
  path: string,
  input: unknown,
  type: "query" | "mutation" = "query",
): Promise<{ status: number; data: any; error: any }> {
  const wire = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(
    type === "query"
      ? `${central.url}/api/trpc/dashboard.${path}?input=${wire}`
      : `${central.url}/api/trpc/dashboard.${path}`,
    {
      method: type === "query" ? "GET" : "POST",
      headers: { cookie: user.cookie, "content-type": "application/json" },
      ...(type === "mutation" ? { body: JSON.stringify({ json: input }) } : {}),
    },
  );
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: { json: unknown } };
  return { status: response.status, data: body.result?.data.json, error: body.error?.json };
}

function localPending(db: SyncDb): string[] {
  return db
    .prepare<[], { item_id: string }>("SELECT item_id FROM dlq WHERE status = 'pending' ORDER BY item_id")
    .all()
    .map((r) => r.item_id);
}

describe("DLQ triage end to end", () => {
  it("support retries a group from the dashboard; the till applies it on its next sync and the items leave the DLQ", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(nowMs);
    const terminal = central.terminals[0]!;
    const buffer = await openTestBuffer();
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: terminal.id,
      centralUrl: central.url,
      terminalKey: terminal.key,
      schedule: false,
      watchMs: 0,
      now: () => nowMs,
      limits: { maxBatchItems: 8, maxAttempts: 3 },
    });
    try {
      const { db } = buffer;
      const ids: string[] = [];
      for (let n = 1; n <= 12; n++) ids.push(enqueueReceipt(db, n, nowMs - 3600_000 + n * 1000, terminal.id));
      // Three receipts by one cashier make the central server fail (a server bug that cashier's
      // name trips): each is isolated, blamed and dead-lettered after 3 attempts.
      const poisoned = [ids[1]!, ids[5]!, ids[9]!];
      for (const id of poisoned) {
        const row = db
          .prepare<[string], { payload: string }>("SELECT payload FROM outbox WHERE item_id = ?")
          .get(id)!;
        const payload = JSON.parse(row.payload);
        payload.cashier = { name: "Sidorova B." };
        db.prepare("UPDATE outbox SET payload = ? WHERE item_id = ?").run(JSON.stringify(payload), id);
      }
      await central.fault({ mode: "poison", needle: "Sidorova", status: 500 });
      for (let i = 0; i < 300 && outboxCount(db) > 0; i++) {
        await worker.now();
        nowMs += 61_000;
        vi.setSystemTime(nowMs);
      }
      expect(outboxCount(db)).toBe(0);
      expect(localPending(db)).toEqual([...poisoned].sort());
      // The server is fixed.
      await central.fault({ mode: "none" });

      const support = await dashboardUser("support");
      const manager = await dashboardUser("manager");
      const groups = await dashboard(support, "dlq.groups", {});
      expect(groups.status).toBe(200);
      expect(groups.data.groups).toHaveLength(1);
      const group = groups.data.groups[0];
      expect(group).toMatchObject({ items: 3, tills: 1 });
      const selection = { type: "group", fingerprint: group.fingerprint };
      const organizationId = terminal.organizationId;

      // A manager may look, not act: FORBIDDEN over HTTP, nothing issued.
      const refused = await dashboard(manager, "dlq.retry", { organizationId, selection }, "mutation");
      expect(refused.status).toBe(403);
      expect(refused.error.data).toMatchObject({ code: "FORBIDDEN" });
      expect((await central.stats()).commands).toEqual([]);

      const dry = await dashboard(
        support,
        "dlq.retry",
        { organizationId, selection, dryRun: true },
        "mutation",
      );
      expect(dry.data).toMatchObject({ dryRun: true, issued: 3 });
      const done = await dashboard(
        support,
        "dlq.retry",
        { organizationId, selection, expectCount: dry.data.issued },
        "mutation",
      );
      expect(done.data).toMatchObject({ dryRun: false, issued: 3, skipped: 0 });
      let listed = await dashboard(support, "dlq.list", {});
      expect(listed.data.items.map((i: any) => i.command?.state)).toEqual(["issued", "issued", "issued"]);

      // The till's next sync: the commands come back with the answer and are applied; the
      // receipts go out again with the acknowledgements and the DLQ changes.
      nowMs += 1000;
      vi.setSystemTime(nowMs);
      for (let i = 0; i < 5 && (outboxCount(db) > 0 || i === 0); i++) await worker.now();
      expect(outboxCount(db)).toBe(0);
      expect(localPending(db)).toEqual([]);

      const stats = await central.stats();
      const receipts = stats.receipts.find((r) => r.terminal_id === terminal.id)!;
      expect({ n: Number(receipts.n), distinct: Number(receipts.distinct_ids) }).toEqual({
        n: 12,
        distinct: 12,
      });
      expect(stats.commands.map((c) => c.outcome)).toEqual(["applied", "applied", "applied"]);
      expect(stats.dlq.map((d) => d.status)).toEqual(["retried", "retried", "retried"]);

      listed = await dashboard(support, "dlq.list", {});
      expect(listed.data).toMatchObject({ total: 0, items: [] });
      const retried = await dashboard(support, "dlq.list", { state: "retried" });
      expect(retried.data.items.map((i: any) => i.command?.state)).toEqual(["applied", "applied", "applied"]);
      const log = await dashboard(manager, "dlq.actions", {});
      expect(log.data.actions).toHaveLength(1);
      expect(log.data.actions[0]).toMatchObject({
        actor: support.email,
        action: "retry",
        selection: "group",
        issued: 3,
        commands: { applied: 3, failed: 0, issued: 0, delivered: 0 },
      });
    } finally {
      await worker.stop();
      buffer.dispose();
      vi.useRealTimers();
    }
  });
});
