import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../../auth/testing.ts";
import { storeCommandAcks } from "../../sync/commands.ts";
import type { SqlRunner, TerminalScope, TransactionalSql } from "../../sync/sql.ts";
import { storeDlqMirror } from "../../sync/store-dlq-mirror.ts";
import { recordTerminalSync } from "../../sync/terminal-sync-state.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";
import { actOnDlq } from "./dlq-action.ts";
import { normaliseErrorMessage } from "./dlq-sql.ts";

// The DLQ triage procedures against a real database (PostgreSQL with TEST_DATABASE_URL, else
// PGlite): filters, groups, detail, and actions that become sync commands with their audit rows.

const SECRET = "test-session-secret-0123456789abcdef";
const NOW = new Date("2026-11-24T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const createCaller = createCallerFactory(dashboardRouter);

const FP_PRICE = "VALIDATION_FAILED:0a1b2c3d4e5f";
const FP_OFD = "OFD_REJECTED:111111111111";
const FP_SHIFT = "VALIDATION_FAILED:222222222222";
const FP_ACT = "UNSENDABLE:333333333333";

let db: CentralDatabase;
const t = {} as Record<"a1" | "a1b" | "a2" | "b1", TerminalScope>;
const org = {} as Record<"a" | "b", string>;
const store = {} as Record<"a1" | "a2" | "b1", string>;
const user = {} as Record<"supportA" | "ownerA" | "managerA" | "managerA1" | "supportB", { id: string }>;

function callerFor(userId: string, now = NOW) {
  return createCaller(signedInContext(db, userId, { secret: SECRET, now: () => now }));
}

/** Mirrors `count` dead items of one fingerprint for a terminal, dead-lettered `ageHours` ago and older. */
async function mirror(
  terminal: TerminalScope,
  prefix: string,
  count: number,
  options: { fingerprint: string; kind?: string; destination?: string; ageHours: number; reason?: string },
) {
  const items = Array.from({ length: count }, (_, n) => ({
    id: `${options.destination ?? "central"}.${options.kind ?? "receipt"}.${prefix}${n}`,
    hlc: `1763794800000.${String(n).padStart(5, "0")}`,
    data: {
      destination: options.destination ?? "central",
      itemKind: options.kind ?? "receipt",
      itemId: `${prefix}${n}`,
      status: "pending" as const,
      reason:
        options.reason ?? `items.0.price: 12.5 is not a whole number of kopecks (receipt ${prefix}${n})`,
      fingerprint: options.fingerprint,
      attempts: 3,
      errors: [1, 2, 3].map((a) => ({
        at: hoursAgo(options.ageHours + 3 - a).toISOString(),
        message: `try ${a}`,
      })),
      payloadBase64: Buffer.from(JSON.stringify({ receiptId: `${prefix}${n}`, price: 12.5 })).toString(
        "base64",
      ),
    },
  }));
  await storeDlqMirror(db.sql, terminal, items, NOW);
  // The mirror's first arrival is the database's now(): set the ages this test is about.
  for (const [n, item] of items.entries()) {
    await db.sql.query(
      "UPDATE dlq_items SET created_at = $1, updated_at = $1 WHERE terminal_id = $2 AND id = $3",
      [hoursAgo(options.ageHours + n * 0.01), terminal.id, item.id],
    );
  }
  return items.map((i) => ({ terminalId: terminal.id, id: i.id }));
}

async function count(sqlText: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.sql.query<{ n: bigint }>(sqlText, params);
  return Number(row?.n ?? 0);
}

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  org.a = (await seedOrganization(p, { name: "Optika A" })).id;
  org.b = (await seedOrganization(p, { name: "Jewels B" })).id;
  store.a1 = (await seedStore(p, { organizationId: org.a, name: "A1 Tverskaya" })).id;
  store.a2 = (await seedStore(p, { organizationId: org.a, name: "A2 Nevsky" })).id;
  store.b1 = (await seedStore(p, { organizationId: org.b, name: "B1" })).id;
  const till = async (o: string, s: string, name: string) => {
    const { terminal } = await seedTerminal(p, { organizationId: o, storeId: s, name });
    return { organizationId: o, storeId: s, id: terminal.id };
  };
  t.a1 = await till(org.a, store.a1, "A1 till 1");
  t.a1b = await till(org.a, store.a1, "A1 till 2");
  t.a2 = await till(org.a, store.a2, "A2 till 1");
  t.b1 = await till(org.b, store.b1, "B1 till 1");
  user.supportA = (await seedUser(p, { organizationId: org.a, role: "support" })).user;
  user.ownerA = (await seedUser(p, { organizationId: org.a, role: "owner" })).user;
  user.managerA = (await seedUser(p, { organizationId: org.a, role: "manager" })).user;
  user.managerA1 = (await seedUser(p, { organizationId: org.a, role: "manager", storeIds: [store.a1] })).user;
  user.supportB = (await seedUser(p, { organizationId: org.b, role: "support" })).user;

  await mirror(t.a1, "p", 5, { fingerprint: FP_PRICE, ageHours: 30 });
  await mirror(t.a1, "o", 2, { fingerprint: FP_OFD, kind: "ofd_document", destination: "ofd", ageHours: 2 });
  await mirror(t.a1b, "p", 3, { fingerprint: FP_PRICE, ageHours: 10 });
  await mirror(t.a2, "p", 4, { fingerprint: FP_PRICE, ageHours: 50 });
  await mirror(t.a2, "s", 1, {
    fingerprint: FP_SHIFT,
    kind: "shift",
    ageHours: 1,
    reason: "shift 7 closed twice",
  });
  await mirror(t.b1, "p", 2, { fingerprint: FP_PRICE, ageHours: 5 });
}, 60_000);
afterAll(async () => db?.close());

describe("DLQ list and groups", () => {
  it("filters by store, till, kind, error code, age and state, and pages without repeats", async () => {
    const support = callerFor(user.supportA.id);
    const all = await support.dlq.list({});
    expect(all.total).toBe(15); // organization A only: 5 + 2 + 3 + 4 + 1
    expect(new Set(all.items.map((i) => i.organizationId))).toEqual(new Set([org.a]));
    expect((await support.dlq.list({ storeId: store.a2 })).total).toBe(5);
    expect((await support.dlq.list({ terminalId: t.a1b.id })).total).toBe(3);
    expect((await support.dlq.list({ kind: "ofd_document" })).total).toBe(2);
    expect((await support.dlq.list({ errorCode: "VALIDATION_FAILED" })).total).toBe(13);
    expect((await support.dlq.list({ fingerprint: FP_SHIFT })).items.map((i) => i.itemId)).toEqual(["s0"]);
    // Dead 24 h or more: t.a1's 5 (30 h) and t.a2's 4 (50 h); at most 12 h: 2 + 3 + 1.
    expect((await support.dlq.list({ minAgeHours: 24 })).total).toBe(9);
    expect((await support.dlq.list({ maxAgeHours: 12 })).total).toBe(6);
    expect((await support.dlq.list({ minAgeHours: 24, maxAgeHours: 40 })).total).toBe(5);
    expect((await support.dlq.list({ state: "discarded" })).total).toBe(0);
    await expect(support.dlq.list({ minAgeHours: 48, maxAgeHours: 24 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await support.dlq.list({ limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => `${i.terminalId}/${i.id}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    // Newest first.
    const first = await support.dlq.list({ limit: 1 });
    expect(first.items[0]).toMatchObject({ itemId: "s0", terminalName: "A2 till 1", storeName: "A2 Nevsky" });
    await expect(support.dlq.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a store-scoped manager sees only their stores' items, groups and details", async () => {
    const manager = callerFor(user.managerA1.id);
    const list = await manager.dlq.list({ limit: 200 });
    expect(list.total).toBe(10);
    expect(new Set(list.items.map((i) => i.storeId))).toEqual(new Set([store.a1]));
    expect((await manager.dlq.list({ storeId: store.a2 })).total).toBe(0);
    const groups = await manager.dlq.groups({});
    expect(groups.groups.find((g) => g.fingerprint === FP_PRICE)).toMatchObject({ items: 8, tills: 2 });
    expect(groups.groups.some((g) => g.fingerprint === FP_SHIFT)).toBe(false);
    await expect(manager.dlq.get({ terminalId: t.a2.id, id: "central.shift.s0" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Another organization's item is as unknown as one that does not exist.
    await expect(
      callerFor(user.supportA.id).dlq.get({ terminalId: t.b1.id, id: "central.receipt.p0" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("groups by fingerprint with counts, tills affected, first and last seen, and the normalised message", async () => {
    const { groups, total } = await callerFor(user.ownerA.id).dlq.groups({});
    expect(total).toBe(3);
    expect(groups.map((g) => [g.fingerprint, g.items, g.tills])).toEqual([
      [FP_PRICE, 12, 3],
      [FP_OFD, 2, 1],
      [FP_SHIFT, 1, 1],
    ]);
    const price = groups[0]!;
    expect(price.errorCode).toBe("VALIDATION_FAILED");
    expect(price.kinds).toEqual(["receipt"]);
    expect(price.firstSeen.getTime()).toBeCloseTo(hoursAgo(50.03).getTime(), -4);
    expect(price.lastSeen.getTime()).toBe(hoursAgo(10).getTime());
    expect(price.message).toBe("items.#.price: #.# is not a whole number of kopecks (receipt #)");
    const filtered = await callerFor(user.ownerA.id).dlq.groups({ storeId: store.a1, maxAgeHours: 20 });
    expect(filtered.groups.map((g) => [g.fingerprint, g.items])).toEqual([
      [FP_PRICE, 3],
      [FP_OFD, 2],
    ]);
  });

  it("normalises messages the way the agent's fingerprint does", () => {
    expect(normaliseErrorMessage('receipt 01JD0000000000000000000000 conflicts with "Ivanova"')).toBe(
      'receipt <id> conflicts with ""',
    );
    expect(normaliseErrorMessage("HTTP 500 after 3 tries")).toBe("HTTP # after # tries");
  });

  it("an item's detail: payload pretty-printed from its bytes, error history with attempts", async () => {
    const detail = await callerFor(user.managerA1.id).dlq.get({
      terminalId: t.a1.id,
      id: "central.receipt.p2",
    });
    expect(detail.payload).toMatchObject({
      isJson: true,
      pretty: '{\n  "receiptId": "p2",\n  "price": 12.5\n}',
    });
    expect(detail.errors.map((e) => [e.attempt, e.message])).toEqual([
      [1, "try 1"],
      [2, "try 2"],
      [3, "try 3"],
    ]);
    expect(detail).toMatchObject({ state: "pending", command: null, commands: [], audit: [], attempts: 3 });

    // Bytes that are not JSON (what broke the item) are shown as text, never fail the view.
    await db.sql.query("UPDATE dlq_items SET payload = $1 WHERE terminal_id = $2 AND id = $3", [
      Buffer.from('{"name":"a\u0000b"'),
      t.a1.id,
      "central.receipt.p3",
    ]);
    const broken = await callerFor(user.ownerA.id).dlq.get({ terminalId: t.a1.id, id: "central.receipt.p3" });
    expect(broken.payload).toMatchObject({ isJson: false, text: '{"name":"a\u0000b"' });
  });
});

describe("DLQ actions", () => {
  it("a manager's retry or discard is FORBIDDEN and writes nothing", async () => {
    const before = await count("SELECT count(*) AS n FROM sync_commands");
    for (const id of [user.managerA.id, user.managerA1.id]) {
      const manager = callerFor(id);
      const selection = { type: "group" as const, fingerprint: FP_PRICE };
      await expect(manager.dlq.retry({ organizationId: org.a, selection })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        manager.dlq.discard({ organizationId: org.a, selection, reason: "duplicate sale" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        manager.dlq.retry({ organizationId: org.a, selection, dryRun: true }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    // Support of organization B cannot act on organization A.
    await expect(
      callerFor(user.supportB.id).dlq.retry({
        organizationId: org.a,
        selection: { type: "group", fingerprint: FP_PRICE },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await count("SELECT count(*) AS n FROM sync_commands")).toBe(before);
    expect(await count("SELECT count(*) AS n FROM dlq_actions")).toBe(0);
  });

  it("a dry run's count is what the action touches; commands carry the action and one audit row per item", async () => {
    await mirror(t.a1, "x", 6, { fingerprint: FP_ACT, ageHours: 3 });
    await mirror(t.a2, "x", 4, { fingerprint: FP_ACT, ageHours: 40 });
    const support = callerFor(user.supportA.id);
    const selection = { type: "group" as const, fingerprint: FP_ACT, filter: { maxAgeHours: 24 } };
    const dry = await support.dlq.retry({ organizationId: org.a, selection, dryRun: true });
    expect(dry).toEqual({ dryRun: true, actionId: null, requested: 6, issued: 6, skipped: 0 });
    expect(await count("SELECT count(*) AS n FROM sync_commands WHERE dlq_item_id LIKE '%.x%'")).toBe(0);

    // The count confirmed no longer holds: nothing is written.
    await expect(
      support.dlq.retry({ organizationId: org.a, selection, expectCount: 5 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await count("SELECT count(*) AS n FROM dlq_actions")).toBe(0);

    const done = await support.dlq.retry({ organizationId: org.a, selection, expectCount: dry.issued });
    expect(done).toMatchObject({ dryRun: false, requested: 6, issued: 6, skipped: 0 });
    const commands = await db.sql.query<{ terminal_id: string; action: string; issued_by: string }>(
      "SELECT terminal_id, action, issued_by FROM sync_commands WHERE action_id = $1",
      [done.actionId],
    );
    expect(commands).toHaveLength(6);
    expect(new Set(commands.map((c) => `${c.terminal_id} ${c.action}`))).toEqual(
      new Set([`${t.a1.id} retry`]),
    );
    expect(
      await count(
        "SELECT count(*) AS n FROM sync_audit a JOIN sync_commands c ON c.organization_id = a.organization_id AND c.id = a.command_id WHERE a.action_id = $1 AND a.event = 'retry_issued' AND a.dlq_item_id = c.dlq_item_id",
        [done.actionId],
      ),
    ).toBe(6);

    // The same group again: those six have a command on its way, only the older four are left.
    const again = await support.dlq.retry({
      organizationId: org.a,
      selection: { type: "group", fingerprint: FP_ACT },
      dryRun: true,
    });
    expect(again.issued).toBe(4);

    // The list shows each item's command state: issued → delivered (sync answer) → applied (ack).
    const listed = async () =>
      (await support.dlq.list({ terminalId: t.a1.id, fingerprint: FP_ACT })).items.map(
        (i) => i.command?.state,
      );
    expect(await listed()).toEqual(Array(6).fill("issued"));
    // A push's answer hands them back (and marks them delivered).
    const delivered = await recordTerminalSync(db.sql, t.a1, {
      now: NOW,
      clockSkewMs: 0,
      hlc: "0",
      ofd: undefined,
    });
    expect(await listed()).toEqual(Array(6).fill("delivered"));
    const acks = delivered.map((c, n) => ({
      id: c.id,
      data: {
        commandId: c.id,
        outcome: n === 0 ? ("not_found" as const) : ("applied" as const),
        appliedAt: new Date(NOW.getTime() + 60_000).toISOString(),
      },
    }));
    await storeCommandAcks(db.sql, t.a1, acks);
    expect((await listed()).sort()).toEqual([
      "applied",
      "applied",
      "applied",
      "applied",
      "applied",
      "failed",
    ]);

    const log = await support.dlq.actions({});
    expect(log.actions[0]).toMatchObject({
      id: done.actionId,
      action: "retry",
      selection: "group",
      fingerprint: FP_ACT,
      requested: 6,
      issued: 6,
      skipped: 0,
      commands: { issued: 0, delivered: 0, applied: 5, failed: 1 },
    });
    const detail = await support.dlq.get({ terminalId: t.a1.id, id: delivered[1]!.dlqItemId });
    expect(detail.audit.map((a) => [a.event, a.actionId])).toEqual([
      ["retry_issued", done.actionId],
      ["retry_applied", null],
    ]);
    expect(detail.commands.map((c) => c.state)).toEqual(["applied"]);
  });

  it("discard needs a reason; a selection skips what is not pending or not visible, and says so", async () => {
    const support = callerFor(user.supportA.id);
    const onItsWay = { terminalId: t.a2.id, id: "central.receipt.x1" };
    await support.dlq.retry({ organizationId: org.a, selection: { type: "items", items: [onItsWay] } });
    const items = [
      { terminalId: t.a2.id, id: "central.shift.s0" },
      onItsWay, // its retry is on its way to the till
      { terminalId: t.b1.id, id: "central.receipt.p0" }, // another organization's
      { terminalId: t.a1.id, id: "central.receipt.nope" },
    ];
    await expect(
      support.dlq.discard({ organizationId: org.a, selection: { type: "items", items }, reason: "  " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const dry = await support.dlq.discard({
      organizationId: org.a,
      selection: { type: "items", items },
      reason: "shift re-entered by hand",
      dryRun: true,
    });
    const done = await support.dlq.discard({
      organizationId: org.a,
      selection: { type: "items", items },
      reason: "shift re-entered by hand",
    });
    expect(dry).toMatchObject({ requested: 4, issued: 1, skipped: 3 });
    expect(done).toMatchObject({ requested: 4, issued: dry.issued, skipped: 3 });
    const [command] = await db.sql.query<{ dlq_item_id: string; reason: string }>(
      "SELECT dlq_item_id, reason FROM sync_commands WHERE action_id = $1",
      [done.actionId],
    );
    expect(command).toEqual({ dlq_item_id: "central.shift.s0", reason: "shift re-entered by hand" });
    // The shift lies in store A2: the A1 manager's audit log does not show that action.
    const managerLog = await callerFor(user.managerA1.id).dlq.actions({});
    expect(managerLog.actions.map((a) => a.id)).not.toContain(done.actionId);
    expect(managerLog.actions.map((a) => a.action)).toContain("retry");
    expect((await callerFor(user.ownerA.id).dlq.actions({})).actions.map((a) => a.id)).toContain(
      done.actionId,
    );
  });

  it("retries every pending item the filters match, in the actor's organization only", async () => {
    const supportB = callerFor(user.supportB.id);
    const selection = { type: "filter" as const, filter: { errorCode: "VALIDATION_FAILED" } };
    const dry = await supportB.dlq.retry({ organizationId: org.b, selection, dryRun: true });
    expect(dry).toMatchObject({ requested: 2, issued: 2 });
    const done = await supportB.dlq.retry({ organizationId: org.b, selection, expectCount: 2 });
    const touched = await db.sql.query<{ terminal_id: string }>(
      "SELECT DISTINCT terminal_id FROM sync_commands WHERE action_id = $1",
      [done.actionId],
    );
    expect(touched).toEqual([{ terminal_id: t.b1.id }]);
    expect((await supportB.dlq.actions({})).actions.map((a) => [a.id, a.selection])).toEqual([
      [done.actionId, "filter"],
    ]);
  });

  it("a failure mid-way writes neither the commands nor their audit rows", async () => {
    await mirror(t.a1b, "f", 3, { fingerprint: "UNSENDABLE:444444444444", ageHours: 1 });
    const membership = {
      organizationId: org.a,
      organizationName: "Optika A",
      role: "support" as const,
      storeIds: null,
    };
    for (const failAt of ["INSERT INTO sync_audit", "INSERT INTO dlq_actions"]) {
      const failing: TransactionalSql = {
        query: (text, params) => db.sql.query(text, params),
        transaction: (fn) =>
          db.sql.transaction((tx) => {
            const wrapped: SqlRunner = {
              query: (text, params) => {
                if (text.includes(failAt)) throw new Error(`disk full at ${failAt}`);
                return tx.query(text, params);
              },
            };
            return fn(wrapped);
          }),
      };
      await expect(
        actOnDlq(
          failing,
          {
            membership,
            actor: { id: user.supportA.id, email: "support@a.test" },
            action: "retry",
            selection: { type: "group", fingerprint: "UNSENDABLE:444444444444", filter: {} },
            dryRun: false,
          },
          NOW,
        ),
      ).rejects.toThrow(/disk full/);
      expect(await count("SELECT count(*) AS n FROM sync_commands WHERE dlq_item_id LIKE '%.f_'")).toBe(0);
      expect(await count("SELECT count(*) AS n FROM sync_audit WHERE dlq_item_id LIKE '%.f_'")).toBe(0);
    }
    const ok = await actOnDlq(
      db.sql,
      {
        membership,
        actor: { id: user.supportA.id, email: "support@a.test" },
        action: "retry",
        selection: { type: "group", fingerprint: "UNSENDABLE:444444444444", filter: {} },
        dryRun: false,
      },
      NOW,
    );
    expect(ok.issued).toBe(3);
    expect(await count("SELECT count(*) AS n FROM sync_audit WHERE action_id = $1", [ok.actionId])).toBe(3);
  });
});
