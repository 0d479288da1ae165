import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralContext } from "../../context.ts";
import { centralRouter } from "../../router.ts";
import { hlcAt } from "../../sync/sample-receipts.ts";
import { createCallerFactory } from "../../trpc.ts";
import { defaultLocaleOf } from "./settings.ts";
import { adminCaller, lazy } from "./test-caller.ts";

// Stores and tills from the admin area, through the router as the dashboard calls them: every change
// lands with its audit row, bad input changes nothing, and a till's key works exactly while it should.

const NOW = new Date("2026-12-01T09:00:00Z");
const CENTRAL = "https://central.example.test";
let db: CentralDatabase;
const ids = {} as Record<"org" | "other" | "store1" | "store2" | "otherStore", string>;
const users = {} as Record<"owner" | "manager" | "support" | "otherOwner", string>;
const call = (user: keyof typeof users) => lazy(adminCaller(db, users[user], NOW));
const ingest = (key: string) =>
  createCallerFactory(centralRouter)(
    createCentralContext({ db, headers: new Headers({ authorization: `Bearer ${key}` }), now: () => NOW }),
  ).ingest;
const heartbeat = (terminalId: string) => ({
  terminalId,
  holder: "agent-a",
  leaseToken: null,
  sentAtMs: NOW.getTime(),
  hlc: hlcAt(NOW.getTime()),
  items: [],
});
const auditCount = async () => db.prisma.auditEvent.count({ where: { organizationId: ids.org } });

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  ids.org = (await seedOrganization(p, { name: "Optika" })).id;
  ids.other = (await seedOrganization(p, { name: "Other chain" })).id;
  ids.store1 = (await seedStore(p, { organizationId: ids.org, name: "Tverskaya" })).id;
  ids.store2 = (await seedStore(p, { organizationId: ids.org, name: "Nevsky" })).id;
  ids.otherStore = (await seedStore(p, { organizationId: ids.other, name: "Elsewhere" })).id;
  users.owner = (await seedUser(p, { organizationId: ids.org, role: "owner" })).user.id;
  users.manager = (
    await seedUser(p, { organizationId: ids.org, role: "manager", storeIds: [ids.store1] })
  ).user.id;
  users.support = (await seedUser(p, { organizationId: ids.org, role: "support" })).user.id;
  users.otherOwner = (await seedUser(p, { organizationId: ids.other, role: "owner" })).user.id;
}, 60_000);
afterAll(async () => db?.close());

describe("admin.stores", () => {
  it("an owner creates a store with an IANA time zone and address, audited in the same change", async () => {
    const store = await call("owner").admin.stores.create({
      name: "Arbat",
      timezone: "Asia/Yekaterinburg",
      address: "Arbat 1, Moscow",
    });
    expect(store).toMatchObject({
      name: "Arbat",
      timezone: "Asia/Yekaterinburg",
      address: "Arbat 1, Moscow",
      tills: 0,
    });
    const audit = await db.prisma.auditEvent.findFirst({ where: { targetId: store.id } });
    expect(audit).toMatchObject({
      action: "store.create",
      actorId: users.owner,
      role: "owner",
      storeIds: [store.id],
    });
    const list = await call("owner").admin.stores.list();
    expect(list.stores.map((s) => s.name)).toContain("Arbat");
  });

  it("refuses an unknown or offset time zone, an empty name and a taken name, changing nothing", async () => {
    const before = [await db.prisma.store.count(), await auditCount()];
    for (const timezone of ["Mars/Olympus", "+03:00", "UTC+3", ""]) {
      await expect(call("owner").admin.stores.create({ name: "Bad", timezone })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    await expect(
      call("owner").admin.stores.create({ name: "  ", timezone: "Europe/Moscow" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      call("owner").admin.stores.create({ name: "tverskaya", timezone: "Europe/Moscow" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect([await db.prisma.store.count(), await auditCount()]).toEqual(before);
  });

  it("renames, re-zones and clears the address; an update with no change is refused", async () => {
    const updated = await call("owner").admin.stores.update({
      organizationId: ids.org,
      storeId: ids.store2,
      name: "Nevsky 28",
      timezone: "Europe/Kaliningrad",
      address: "Nevsky 28",
    });
    expect(updated).toMatchObject({
      name: "Nevsky 28",
      timezone: "Europe/Kaliningrad",
      address: "Nevsky 28",
    });
    const cleared = await call("owner").admin.stores.update({
      organizationId: ids.org,
      storeId: ids.store2,
      address: null,
    });
    expect(cleared.address).toBeNull();
    const events = await db.prisma.auditEvent.findMany({
      where: { targetId: ids.store2 },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["store.update", "store.update"]);
    expect(events[0]?.summary).toContain('"Nevsky" → "Nevsky 28"');
    await expect(
      call("owner").admin.stores.update({ organizationId: ids.org, storeId: ids.store2, name: "Nevsky 28" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("another organization's store is NOT_FOUND to an owner, and a manager may not change stores", async () => {
    await expect(
      call("owner").admin.stores.update({ organizationId: ids.other, storeId: ids.otherStore, name: "Mine" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      call("manager").admin.stores.update({ organizationId: ids.org, storeId: ids.store1, name: "Mine" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A store-scoped manager sees only their store.
    const seen = await call("manager").admin.stores.list();
    expect(seen.stores.map((s) => s.id)).toEqual([ids.store1]);
  });
});

describe("admin.tills", () => {
  it("provisions a till: the key is shown once with a ready kassa-agent configuration, and it syncs", async () => {
    const result = await call("owner").admin.tills.provision({
      storeId: ids.store1,
      name: "Till 1",
      centralUrl: `${CENTRAL}/`,
    });
    expect(result.terminalKey.startsWith(`${result.till.id}.`)).toBe(true);
    expect(result.config.env).toMatchObject({
      KASSA_CENTRAL_URL: CENTRAL,
      KASSA_TERMINAL_ID: result.till.id,
      KASSA_TERMINAL_KEY: result.terminalKey,
    });
    expect(result.config.env.KASSA_API_TOKEN?.length).toBeGreaterThanOrEqual(16);
    expect(result.config.text).toContain(`KASSA_TERMINAL_KEY=${result.terminalKey}\n`);
    // Only the hash is stored.
    const row = await db.prisma.terminal.findUniqueOrThrow({ where: { id: result.till.id } });
    expect(row.keyHash).not.toContain(result.terminalKey.split(".")[1]);
    const pushed = await ingest(result.terminalKey).push(heartbeat(result.till.id));
    expect(pushed.results).toEqual([]);
    const audit = await db.prisma.auditEvent.findFirst({ where: { targetId: result.till.id } });
    expect(audit).toMatchObject({ action: "till.provision", storeIds: [ids.store1] });
  });

  it("rotating the key stops the old one at once with TERMINAL_KEY_ROTATED; the new one syncs", async () => {
    const { till, terminalKey: oldKey } = await call("owner").admin.tills.provision({
      storeId: ids.store1,
      name: "Till 2",
      centralUrl: CENTRAL,
    });
    const rotated = await call("owner").admin.tills.rotateKey({ terminalId: till.id, centralUrl: CENTRAL });
    expect(rotated.terminalKey).not.toBe(oldKey);
    expect(rotated.till.keyRotatedAt).toEqual(NOW);
    const refused = await ingest(oldKey)
      .push(heartbeat(till.id))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "UNAUTHORIZED", kassaCode: "TERMINAL_KEY_ROTATED" });
    expect((refused as Error).message).toContain("rotated");
    await expect(ingest(rotated.terminalKey).push(heartbeat(till.id))).resolves.toMatchObject({
      results: [],
    });
    // Two rotations later the first key is just a wrong key.
    await call("owner").admin.tills.rotateKey({ terminalId: till.id, centralUrl: CENTRAL });
    await expect(ingest(oldKey).push(heartbeat(till.id))).rejects.toMatchObject({
      kassaCode: "UNAUTHORIZED",
    });
    const events = await db.prisma.auditEvent.findMany({
      where: { targetId: till.id, action: "till.rotate_key" },
    });
    expect(events).toHaveLength(2);
  });

  it("a retired till's key is refused (TERMINAL_RETIRED); it cannot be rotated or retired again", async () => {
    const { till, terminalKey } = await call("owner").admin.tills.provision({
      storeId: ids.store2,
      name: "Till 3",
      centralUrl: CENTRAL,
    });
    const retired = await call("owner").admin.tills.retire({ terminalId: till.id });
    expect(retired).toMatchObject({ status: "retired", retiredAt: NOW });
    await expect(ingest(terminalKey).push(heartbeat(till.id))).rejects.toMatchObject({
      code: "FORBIDDEN",
      kassaCode: "TERMINAL_RETIRED",
    });
    const before = await auditCount();
    await expect(call("owner").admin.tills.retire({ terminalId: till.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      call("owner").admin.tills.rotateKey({ terminalId: till.id, centralUrl: CENTRAL }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await auditCount()).toBe(before);
    const active = await call("owner").admin.tills.list();
    expect(active.tills.map((t) => t.id)).not.toContain(till.id);
    const all = await call("owner").admin.tills.list({ status: "all" });
    expect(all.tills.map((t) => t.id)).toContain(till.id);
    // Fleet lists working tills only: a retired one would read "offline" there for ever.
    const fleet = await call("owner").fleet.list();
    expect(fleet.terminals.map((t) => t.id)).not.toContain(till.id);
  });

  it("lists each till's register (model, FN) from its last status and its last contact, within the scope", async () => {
    const seeded = await seedTerminal(db.prisma, {
      organizationId: ids.org,
      storeId: ids.store2,
      name: "Till R",
      lastSyncAt: NOW,
    });
    await db.prisma.terminalLiveStatus.create({
      data: {
        organizationId: ids.org,
        terminalId: seeded.terminal.id,
        snapshot: { register: { model: "Shtrih-M-01F", fnNumber: "9287440301120991", firmware: "A.4" } },
      },
    });
    const list = await call("support").admin.tills.list({ sort: "lastSyncAt", order: "desc" });
    const till = list.tills.find((t) => t.id === seeded.terminal.id);
    expect(till).toMatchObject({
      lastSyncAt: NOW,
      storeName: "Nevsky 28",
      register: { model: "Shtrih-M-01F", fnNumber: "9287440301120991", firmware: "A.4" },
    });
    // The manager of store 1 sees none of store 2's tills.
    const managed = await call("manager").admin.tills.list({ status: "all" });
    expect(managed.tills.every((t) => t.storeId === ids.store1)).toBe(true);
    expect(managed.tills.length).toBeGreaterThan(0);
  });

  it("refuses bad input, other organizations' stores and non-owners, changing nothing", async () => {
    const before = [await db.prisma.terminal.count(), await auditCount()];
    await expect(
      call("owner").admin.tills.provision({ storeId: ids.store1, name: "X", centralUrl: "ftp://central" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      call("owner").admin.tills.provision({ storeId: ids.otherStore, name: "X", centralUrl: CENTRAL }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      call("support").admin.tills.provision({ storeId: ids.store1, name: "X", centralUrl: CENTRAL }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      call("otherOwner").admin.tills.rotateKey({
        terminalId: (await db.prisma.terminal.findFirstOrThrow({ where: { organizationId: ids.org } })).id,
        centralUrl: CENTRAL,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect([await db.prisma.terminal.count(), await auditCount()]).toEqual(before);
  });
});

describe("admin.settings", () => {
  it("an owner changes the cash tolerance and default language, audited; managers read them", async () => {
    const updated = await call("owner").admin.settings.update({
      cashTolerance: 25_000n,
      defaultLocale: "ru",
    });
    expect(updated).toMatchObject({ organizationId: ids.org, cashTolerance: 25_000n, defaultLocale: "ru" });
    await expect(call("manager").admin.settings.get()).resolves.toMatchObject({ cashTolerance: 25_000n });
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: "settings.update" } });
    expect(audit?.summary).toBe("Settings: cash tolerance 10000 → 25000 kopecks; default language en → ru");
    const org = await db.prisma.organization.findUniqueOrThrow({ where: { id: ids.org } });
    expect(org.cashTolerance).toBe(25_000n);
    // The language members without a kassa-locale cookie now see; a person in no organization has none.
    expect(await defaultLocaleOf(db, users.manager)).toBe("ru");
    expect(await defaultLocaleOf(db, "01NOBODY")).toBeNull();
  });

  it("refuses a negative or huge tolerance, an unknown language and no change, changing nothing", async () => {
    const before = await auditCount();
    await expect(call("owner").admin.settings.update({ cashTolerance: -1n })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(call("owner").admin.settings.update({ cashTolerance: 10n ** 12n })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(call("owner").admin.settings.update({ defaultLocale: "de" as "en" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(call("owner").admin.settings.update({ defaultLocale: "ru" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(call("manager").admin.settings.update({ cashTolerance: 1n })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await auditCount()).toBe(before);
  });
});

describe("admin.audit", () => {
  it("lists admin changes and DLQ actions in one log, newest first, paged, and narrowed to a manager's stores", async () => {
    await db.prisma.dlqAction.create({
      data: {
        organizationId: ids.org,
        id: "dlq-action-1",
        action: "retry",
        selection: "group",
        criteria: { fingerprint: "fp-1" },
        actorId: users.support,
        actor: "support@example.test",
        requested: 3,
        issued: 2,
        skipped: 1,
        storeIds: [ids.store1],
        at: new Date(NOW.getTime() + 1000),
      },
    });
    const log = await call("owner").admin.audit.list({ limit: 100 });
    expect(log.entries[0]).toMatchObject({
      kind: "dlq",
      action: "dlq.retry",
      targetId: "fp-1",
      result: "2 issued, 1 skipped",
    });
    const actions = new Set(log.entries.map((e) => e.action));
    for (const a of [
      "store.create",
      "store.update",
      "till.provision",
      "till.rotate_key",
      "till.retire",
      "settings.update",
    ]) {
      expect(actions).toContain(a);
    }
    // Paged: two pages of 3 are the first 6 entries.
    const first = await call("owner").admin.audit.list({ limit: 3 });
    const second = await call("owner").admin.audit.list({ limit: 3, cursor: first.nextCursor! });
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(
      log.entries.slice(0, 6).map((e) => e.id),
    );
    // A manager of store 1 sees store 1's changes and DLQ actions, not the organization's settings.
    const managed = await call("manager").admin.audit.list({ limit: 100 });
    expect(managed.entries.length).toBeGreaterThan(0);
    expect(managed.entries.map((e) => e.action)).not.toContain("settings.update");
    expect(managed.entries.some((e) => e.targetId === ids.store2)).toBe(false);
    // Only admin changes.
    const admin = await call("owner").admin.audit.list({ kind: "admin", limit: 100 });
    expect(admin.entries.every((e) => e.kind === "admin")).toBe(true);
    await expect(call("owner").admin.audit.list({ cursor: "garbage" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
