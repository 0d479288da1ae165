import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext, TEST_SESSION_SECRET as TEST_SECRET, testSessionCookie } from "../auth/testing.ts";
import { createCentralContext } from "../context.ts";
import { centralRouter } from "../router.ts";
import { hlcAt } from "../sync/sample-receipts.ts";
import { createCallerFactory } from "../trpc.ts";
import { dashboardRouter } from "./router.ts";

// A security review's attacks on tenancy, written as tests: an owner of one chain naming another
// chain's ids in every admin and DLQ change, store-scoped members (and one with no stores at all)
// reading the audit logs, a removed member's and a demoted owner's sessions, and a till whose key
// was rotated or which was retired trying every agent-facing procedure.

const NOW = new Date("2026-12-01T09:00:00Z");
const createCaller = createCallerFactory(dashboardRouter);
let db: CentralDatabase;
const ids = {} as Record<"org" | "other" | "s1" | "s2" | "otherStore" | "t2" | "otherTill", string>;
const keys = {} as Record<"t2" | "otherTill", string>;
const users = {} as Record<
  "owner" | "owner2" | "manager" | "emptyManager" | "otherOwner" | "otherManager",
  string
>;
const as = (user: keyof typeof users) => createCaller(signedInContext(db, users[user], { now: () => NOW }));

/** Everything an admin or DLQ change of the other organization could touch, as one comparable value. */
async function otherOrganizationState() {
  const p = db.prisma;
  const organizationId = ids.other;
  return JSON.stringify(
    await Promise.all([
      p.organization.findUnique({ where: { id: organizationId } }),
      p.store.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
      p.terminal.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
      p.membership.findMany({ where: { organizationId }, orderBy: { userId: "asc" } }),
      p.userInvitation.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
      p.auditEvent.count({ where: { organizationId } }),
      p.session.count({ where: { userId: users.otherManager } }),
      db.sql.query("SELECT count(*) AS n FROM dlq_actions WHERE organization_id = $1", [organizationId]),
      db.sql.query("SELECT count(*) AS n FROM sync_commands WHERE organization_id = $1", [organizationId]),
    ]),
    (_, v) => (typeof v === "bigint" ? v.toString() : v),
  );
}

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  ids.org = (await seedOrganization(p, { name: "Optika" })).id;
  ids.other = (await seedOrganization(p, { name: "Other chain" })).id;
  ids.s1 = (await seedStore(p, { organizationId: ids.org, name: "Tverskaya" })).id;
  ids.s2 = (await seedStore(p, { organizationId: ids.org, name: "Nevsky" })).id;
  ids.otherStore = (await seedStore(p, { organizationId: ids.other, name: "Elsewhere" })).id;
  const t2 = await seedTerminal(p, { organizationId: ids.org, storeId: ids.s2 });
  ids.t2 = t2.terminal.id;
  keys.t2 = t2.key;
  const otherTill = await seedTerminal(p, { organizationId: ids.other, storeId: ids.otherStore });
  ids.otherTill = otherTill.terminal.id;
  keys.otherTill = otherTill.key;
  users.owner = (await seedUser(p, { organizationId: ids.org, role: "owner" })).user.id;
  users.owner2 = (await seedUser(p, { organizationId: ids.org, role: "owner" })).user.id;
  users.manager = (
    await seedUser(p, { organizationId: ids.org, role: "manager", storeIds: [ids.s1] })
  ).user.id;
  users.emptyManager = (
    await seedUser(p, { organizationId: ids.org, role: "manager", storeIds: [] })
  ).user.id;
  users.otherOwner = (await seedUser(p, { organizationId: ids.other, role: "owner" })).user.id;
  users.otherManager = (
    await seedUser(p, { organizationId: ids.other, role: "manager", storeIds: [ids.otherStore] })
  ).user.id;
}, 60_000);
afterAll(async () => db?.close());

describe("an owner naming another organization's ids", { timeout: 60_000 }, () => {
  it("is refused (NOT_FOUND / FORBIDDEN) by every admin, alerts and DLQ change, and nothing of the other organization changes", async () => {
    // The other chain has a pending invitation, so revoking it by id can be tried.
    const invitation = await as("otherOwner").admin.people.invite({
      email: "someone@other.test",
      name: "Someone",
      role: "manager",
      storeIds: [ids.otherStore],
    });
    const before = await otherOrganizationState();
    const owner = as("owner");
    const other = ids.other;
    const attempts: [string, () => Promise<unknown>][] = [
      [
        "stores.create in B",
        () => owner.admin.stores.create({ organizationId: other, name: "X", timezone: "UTC" }),
      ],
      [
        "stores.update B's store through A",
        () => owner.admin.stores.update({ organizationId: ids.org, storeId: ids.otherStore, name: "Pwned" }),
      ],
      [
        "stores.update B's store naming B",
        () => owner.admin.stores.update({ organizationId: other, storeId: ids.otherStore, name: "Pwned" }),
      ],
      [
        "tills.provision in B's store",
        () =>
          owner.admin.tills.provision({
            storeId: ids.otherStore,
            name: "Evil",
            centralUrl: "https://x.test",
          }),
      ],
      [
        "tills.rotateKey B's till",
        () => owner.admin.tills.rotateKey({ terminalId: ids.otherTill, centralUrl: "https://x.test" }),
      ],
      ["tills.retire B's till", () => owner.admin.tills.retire({ terminalId: ids.otherTill })],
      [
        "people.invite into B",
        () =>
          owner.admin.people.invite({
            organizationId: other,
            email: "evil@x.test",
            name: "E",
            role: "owner",
          }),
      ],
      [
        "people.update B's manager",
        () => owner.admin.people.update({ userId: users.otherManager, role: "support", storeIds: [] }),
      ],
      ["people.remove B's manager", () => owner.admin.people.remove({ userId: users.otherManager })],
      [
        "people.revokeInvitation B's invitation",
        () => owner.admin.people.revokeInvitation({ invitationId: invitation.invitation.id }),
      ],
      ["settings.update B", () => owner.admin.settings.update({ organizationId: other, cashTolerance: 1n })],
      [
        "alerts.thresholds.update B",
        () => owner.alerts.thresholds.update({ organizationId: other, thresholds: {} } as never),
      ],
      [
        "dlq.retry in B",
        () =>
          owner.dlq.retry({
            organizationId: other,
            selection: { type: "filter", filter: {} },
          }),
      ],
      [
        "dlq.discard B's items by key",
        () =>
          owner.dlq.discard({
            organizationId: ids.org,
            selection: { type: "items", items: [{ terminalId: ids.otherTill, id: "central.receipt.x" }] },
            reason: "mine now",
          }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const outcome = await attempt().then(
        (value) => ({ code: "OK", value }),
        (error: { code?: string; kassaCode?: string }) => ({
          code: error.kassaCode ?? error.code ?? "ERROR",
          value: null,
        }),
      );
      // A discard scoped to the owner's own organization may run (over zero of its items): it must
      // not have touched B, which the state comparison below checks.
      if (what === "dlq.discard B's items by key") {
        expect(outcome.code === "OK" ? (outcome.value as { issued: number }).issued : 0, what).toBe(0);
        continue;
      }
      expect(["NOT_FOUND", "FORBIDDEN", "VALIDATION_FAILED"], `${what} answered ${outcome.code}`).toContain(
        outcome.code,
      );
    }
    expect(await otherOrganizationState()).toBe(before);
  });

  it("reads nothing of the other organization when naming it in a list", async () => {
    const owner = as("owner");
    const texts = [
      await owner.admin.stores.list({ organizationId: ids.other }),
      await owner.admin.tills.list({ organizationId: ids.other }),
      await owner.admin.tills.list({ storeId: ids.otherStore }),
      await owner.admin.audit.list({ organizationId: ids.other }),
      await owner.dlq.actions({ organizationId: ids.other }),
    ].map((v) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)));
    for (const text of texts) {
      expect(text).not.toContain(ids.otherStore);
      expect(text).not.toContain(ids.otherTill);
    }
    await expect(owner.admin.people.list({ organizationId: ids.other })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.admin.settings.get({ organizationId: ids.other })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("reads naming another organization's till, receipt or shift", { timeout: 60_000 }, () => {
  it("are NOT_FOUND, however the ids are combined", async () => {
    const { seedReceipt, seedShift } = await import("@kassa/db/seed");
    const till = { organizationId: ids.other, id: ids.otherTill };
    const receipt = await seedReceipt(db.prisma, { terminal: { ...till, storeId: ids.otherStore } as never });
    const shift = await seedShift(db.prisma, { terminal: till, closedAt: NOW, countedCash: 1 });
    const owner = as("owner");
    const refusals: [string, () => Promise<unknown>][] = [
      ["terminals.get", () => owner.terminals.get({ terminalId: ids.otherTill })],
      ["receipts.get", () => owner.receipts.get({ terminalId: ids.otherTill, receiptId: receipt.id })],
      ["receipts.get (own till)", () => owner.receipts.get({ terminalId: ids.t2, receiptId: receipt.id })],
      ["cash.shift", () => owner.cash.shift({ terminalId: ids.otherTill, shiftId: shift.shiftId })],
      [
        "cash.approve",
        () =>
          owner.cash.approve({ terminalId: ids.otherTill, shiftId: shift.shiftId, note: "looks fine to me" }),
      ],
      [
        "cash.approve (own till)",
        () => owner.cash.approve({ terminalId: ids.t2, shiftId: shift.shiftId, note: "ok ok" }),
      ],
    ];
    for (const [what, attempt] of refusals) {
      await expect(attempt(), what).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await db.prisma.cashApproval.count({ where: { organizationId: ids.other } })).toBe(0);
    const lists = [
      await owner.receipts.list({ terminalId: ids.otherTill } as never),
      await owner.alerts.list({ storeId: ids.otherStore } as never),
      await owner.cash.shifts({ storeId: ids.otherStore } as never),
    ].map((v) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)));
    for (const text of lists) {
      expect(text).not.toContain(receipt.id);
      expect(text).not.toContain(shift.shiftId);
    }
  });
});

describe("garbage input to every admin, alerts and DLQ procedure", { timeout: 240_000 }, () => {
  it("is a typed 4xx refusal (never an internal error) and changes nothing", async () => {
    const huge = "x".repeat(1_000_000);
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      "text",
      [],
      { organizationId: { not: "" } },
      { organizationId: huge, storeId: huge, terminalId: huge, userId: huge, name: huge },
      {
        organizationId: ids.org,
        storeId: ids.s1,
        terminalId: "../t2",
        name: "\u0000",
        timezone: "../../etc",
      },
      { organizationId: ids.org, storeIds: Array.from({ length: 10_000 }, (_, i) => `s${i}`), role: "god" },
      { organizationId: ids.org, cashTolerance: -1n, defaultLocale: "xx" },
      { organizationId: ids.org, cashTolerance: 10n ** 30n },
      { organizationId: ids.org, thresholds: { silentMinutes: Number.NaN, x: huge } },
      { organizationId: ids.org, cursor: huge.slice(0, 500), limit: 1e9 },
      { organizationId: ids.org, selection: { type: "items", items: [] }, reason: huge },
    ];
    const paths = [
      "admin.stores.list",
      "admin.stores.create",
      "admin.stores.update",
      "admin.tills.list",
      "admin.tills.provision",
      "admin.tills.rotateKey",
      "admin.tills.retire",
      "admin.people.list",
      "admin.people.invite",
      "admin.people.update",
      "admin.people.remove",
      "admin.people.revokeInvitation",
      "admin.settings.get",
      "admin.settings.update",
      "admin.audit.list",
      "alerts.list",
      "alerts.count",
      "alerts.thresholds.update",
      "dlq.retry",
      "dlq.discard",
      "dlq.actions",
    ];
    const state = async () =>
      JSON.stringify(
        await Promise.all([
          db.prisma.store.findMany({ orderBy: { id: "asc" } }),
          db.prisma.terminal.findMany({ orderBy: { id: "asc" } }),
          db.prisma.membership.findMany({ orderBy: [{ organizationId: "asc" }, { userId: "asc" }] }),
          db.prisma.organization.findMany({ orderBy: { id: "asc" } }),
          db.prisma.auditEvent.count(),
          db.sql.query("SELECT count(*) AS n FROM dlq_actions"),
        ]),
        (_, v) => (typeof v === "bigint" ? v.toString() : v),
      );
    const before = await state();
    const owner = as("owner") as unknown as Record<string, unknown>;
    for (const path of paths) {
      let target: unknown = owner;
      for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
      for (const input of garbage) {
        const code = await (target as (i: unknown) => Promise<unknown>)(input).then(
          () => "OK",
          (error: { code?: string }) => error.code ?? "ERROR",
        );
        // Reads may answer (an empty or default input is valid for them); changes must refuse.
        expect(
          ["OK", "BAD_REQUEST", "NOT_FOUND", "FORBIDDEN", "CONFLICT"],
          `${path}(${String(input)?.slice(0, 60)})`,
        ).toContain(code);
        if (code === "OK" && !/\.(list|get|count|actions)$/.test(path))
          throw new Error(
            `${path} accepted ${JSON.stringify(input, (_, v) => (typeof v === "bigint" ? String(v) : v))?.slice(0, 300)}`,
          );
      }
    }
    expect(await state()).toBe(before);
  });
});

describe("text PostgreSQL cannot store", { timeout: 120_000 }, () => {
  it("a NUL character in a name, address, email or note is a typed refusal, not an internal error", async () => {
    const owner = as("owner");
    const nul = "Till\u0000one";
    const attempts: [string, () => Promise<unknown>][] = [
      ["stores.create name", () => owner.admin.stores.create({ name: nul, timezone: "UTC" })],
      [
        "stores.update address",
        () => owner.admin.stores.update({ organizationId: ids.org, storeId: ids.s1, address: nul }),
      ],
      [
        "tills.provision name",
        () => owner.admin.tills.provision({ storeId: ids.s1, name: nul, centralUrl: "https://x.test" }),
      ],
      [
        "people.invite name",
        () => owner.admin.people.invite({ email: "nul@x.test", name: nul, role: "support" }),
      ],
      [
        "dlq.discard reason",
        () =>
          owner.dlq.discard({
            organizationId: ids.org,
            selection: { type: "filter", filter: { storeId: ids.s1 } },
            reason: nul,
          }),
      ],
    ];
    // Ids too: every id a dashboard procedure takes goes into a query as text.
    const nulId = "01\u0000";
    attempts.push(
      ["tills.retire id", () => owner.admin.tills.retire({ terminalId: nulId })],
      [
        "stores.update id",
        () => owner.admin.stores.update({ organizationId: ids.org, storeId: nulId, name: "N" }),
      ],
      ["people.remove id", () => owner.admin.people.remove({ userId: nulId })],
      ["terminals.get id", () => owner.terminals.get({ terminalId: nulId })],
      ["receipts.get id", () => owner.receipts.get({ terminalId: ids.t2, receiptId: nulId })],
      ["cash.shift id", () => owner.cash.shift({ terminalId: nulId, shiftId: nulId })],
      ["admin.tills.list org", () => owner.admin.tills.list({ organizationId: nulId })],
      ["dlq.get id", () => owner.dlq.get({ terminalId: nulId, id: nulId })],
    );
    const codes: string[] = [];
    for (const [what, attempt] of attempts) {
      const code = await attempt().then(
        () => "OK",
        (error: { code?: string }) => error.code ?? "ERROR",
      );
      codes.push(`${what}: ${code}`);
    }
    // A refusal of the input, or (for an id) "no such row" — never an internal error.
    expect(codes.filter((l) => !/: (BAD_REQUEST|NOT_FOUND|OK)$/.test(l))).toEqual([]);
    expect(codes.filter((l) => l.endsWith("OK") && !l.includes("list"))).toEqual([]);
  });
});

describe("the audit logs and store scope", { timeout: 60_000 }, () => {
  it("a DLQ action that touched no item is not shown to a store-scoped manager, nor to one with no stores", async () => {
    // The owner discards by a filter naming store 2's till: nothing is pending, so the action
    // touches no item and is stored with no store — but its criteria and reason speak of store 2.
    const action = await as("owner").dlq.discard({
      organizationId: ids.org,
      selection: { type: "filter", filter: { storeId: ids.s2, terminalId: ids.t2 } },
      reason: "store 2: duplicate sales of the Nevsky till",
    });
    expect(action.issued).toBe(0);
    const ownerLog = await as("owner").dlq.actions({});
    expect(ownerLog.actions.map((a) => a.id)).toContain(action.actionId);
    for (const user of ["manager", "emptyManager"] as const) {
      const dlqLog = await as(user).dlq.actions({});
      expect(
        dlqLog.actions.map((a) => a.id),
        `${user}: dlq.actions`,
      ).not.toContain(action.actionId);
      const auditLog = await as(user).admin.audit.list({});
      expect(
        auditLog.entries.map((e) => e.id),
        `${user}: admin.audit.list`,
      ).not.toContain(action.actionId);
    }
  });

  it("a manager of store 1 naming store 2 or its till in any filter reads nothing of it", async () => {
    const manager = as("manager");
    const window = { from: new Date(NOW.getTime() - 86_400_000), to: NOW };
    const answers = await Promise.all([
      manager.fleet.list({ storeId: ids.s2 }),
      manager.admin.tills.list({ storeId: ids.s2, status: "all" }),
      manager.admin.stores.list({ organizationId: ids.org }),
      manager.receipts.list({ storeId: ids.s2 } as never),
      manager.receipts.list({ terminalId: ids.t2 } as never),
      manager.alerts.list({ storeId: ids.s2 } as never),
      manager.alerts.list({ terminalId: ids.t2 } as never),
      manager.alerts.count({ storeId: ids.s2 }),
      manager.cash.shifts({ storeId: ids.s2 } as never),
      manager.cash.days({ storeId: ids.s2 } as never),
      manager.breakers.fleet({ ...window, storeId: ids.s2 } as never),
      manager.rum.overview({ ...window, storeId: ids.s2 }),
      manager.rum.overview({ ...window, terminalId: ids.t2 }),
      manager.dlq.list({ storeId: ids.s2 } as never),
      manager.dlq.groups({ terminalId: ids.t2 } as never),
    ]);
    for (const [i, answer] of answers.entries()) {
      const text = JSON.stringify(answer, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      expect(text, `answer ${i}`).not.toContain(ids.t2);
      if (i !== 2) expect(text, `answer ${i}`).not.toContain(ids.s2);
    }
    await expect(manager.breakers.timeline({ ...window, terminalId: ids.t2 } as never)).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
  });

  it("a manager with no stores sees no till, store, audit entry or DLQ action through the admin area", async () => {
    const manager = as("emptyManager");
    expect((await manager.admin.stores.list({})).stores).toEqual([]);
    expect((await manager.admin.tills.list({})).tills).toEqual([]);
    expect((await manager.admin.tills.list({ storeId: ids.s2 })).tills).toEqual([]);
    expect((await manager.admin.audit.list({})).entries).toEqual([]);
    expect((await manager.dlq.actions({})).actions).toEqual([]);
  });
});

describe("membership changes take effect on existing sessions", { timeout: 60_000 }, () => {
  it("a demoted owner's open session loses the admin area at once; a removed member's cookie is refused", async () => {
    const demotedHeaders = new Headers({
      cookie: await testSessionCookie(db, users.owner2, TEST_SECRET),
    });
    const demoted = createCaller(
      createCentralContext({ db, headers: demotedHeaders, sessionSecret: TEST_SECRET, now: () => NOW }),
    );
    expect((await demoted.admin.people.list({})).members.length).toBeGreaterThan(0);
    await as("owner").admin.people.update({ userId: users.owner2, role: "manager", storeIds: [ids.s1] });
    await expect(demoted.admin.people.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      demoted.admin.tills.rotateKey({ terminalId: ids.t2, centralUrl: "https://x.test" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(JSON.stringify(await demoted.admin.tills.list({}))).not.toContain(ids.t2);

    await as("owner").admin.people.remove({ userId: users.owner2 });
    await expect(demoted.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("a till's key after rotation or retirement", { timeout: 60_000 }, () => {
  const agent = (key: string) =>
    createCallerFactory(centralRouter)(
      createCentralContext({ db, headers: new Headers({ authorization: `Bearer ${key}` }), now: () => NOW }),
    ).ingest;
  const push = (terminalId: string) => ({
    terminalId,
    holder: "agent-a",
    leaseToken: null,
    sentAtMs: NOW.getTime(),
    hlc: hlcAt(NOW.getTime()),
    items: [],
  });

  it("the rotated-away key is refused by push and by the cashier pull; a retired till by both", async () => {
    const old = keys.t2;
    await as("owner").admin.tills.rotateKey({ terminalId: ids.t2, centralUrl: "https://x.test" });
    await expect(agent(old).push(push(ids.t2))).rejects.toMatchObject({ kassaCode: "TERMINAL_KEY_ROTATED" });
    await expect(agent(old).cashiers({} as never)).rejects.toMatchObject({
      kassaCode: "TERMINAL_KEY_ROTATED",
    });
    // Another chain's till cannot be pushed for with one's own key either.
    await expect(agent(keys.otherTill).push(push(ids.t2))).rejects.toMatchObject({
      kassaCode: expect.stringMatching(/FORBIDDEN|VALIDATION_FAILED|UNAUTHORIZED/),
    });
    await as("otherOwner").admin.tills.retire({ terminalId: ids.otherTill });
    await expect(agent(keys.otherTill).push(push(ids.otherTill))).rejects.toMatchObject({
      kassaCode: "TERMINAL_RETIRED",
    });
    await expect(agent(keys.otherTill).cashiers({} as never)).rejects.toMatchObject({
      kassaCode: "TERMINAL_RETIRED",
    });
  });
});
