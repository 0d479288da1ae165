import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedReceipt, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import type { TIngestItem } from "../ingest/ingest-items.types.ts";
import { ingestBatch } from "../sync/ingest-batch.ts";
import { createCallerFactory } from "../trpc.ts";
import { dashboardRouter } from "./router.ts";

const SECRET = "test-session-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T10:00:00Z");
const createCaller = createCallerFactory(dashboardRouter);

let db: CentralDatabase;
const ids = {} as Record<"orgA" | "orgB" | "storeA1" | "storeA2" | "storeB1" | "tA1" | "tA2" | "tB1", string>;
const users = {} as Record<
  "ownerA" | "managerA1" | "ownerB" | "loner",
  { id: string; email: string; password: string }
>;

function callerFor(userId: string | null, options: { now?: Date } = {}) {
  const now = options.now ?? NOW;
  return createCaller(signedInContext(db, userId, { secret: SECRET, now: () => now }));
}

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  const orgA = await seedOrganization(p, { name: "Optika A" });
  const orgB = await seedOrganization(p, { name: "Jewels B" });
  const storeA1 = await seedStore(p, {
    organizationId: orgA.id,
    name: "A1 Tverskaya",
    timezone: "Europe/Moscow",
  });
  const storeA2 = await seedStore(p, {
    organizationId: orgA.id,
    name: "A2 Vladivostok",
    timezone: "Asia/Vladivostok",
  });
  const storeB1 = await seedStore(p, { organizationId: orgB.id, name: "B1 Nevsky" });
  const tA1 = await seedTerminal(p, {
    organizationId: orgA.id,
    storeId: storeA1.id,
    name: "A1 till 1",
    lastSyncAt: minutesAgo(1),
    clockSkewMs: 420,
  });
  const tA2 = await seedTerminal(p, {
    organizationId: orgA.id,
    storeId: storeA2.id,
    name: "A2 till 1",
    lastSyncAt: minutesAgo(30),
  });
  const tB1 = await seedTerminal(p, {
    organizationId: orgB.id,
    storeId: storeB1.id,
    name: "B1 till 1",
    lastSyncAt: minutesAgo(1),
  });
  Object.assign(ids, {
    orgA: orgA.id,
    orgB: orgB.id,
    storeA1: storeA1.id,
    storeA2: storeA2.id,
    storeB1: storeB1.id,
    tA1: tA1.terminal.id,
    tA2: tA2.terminal.id,
    tB1: tB1.terminal.id,
  });

  // tA1: 7 receipts one minute apart, odd ones fiscalized (FD 101, 103, …); tA2: 2; tB1: 3.
  for (let i = 1; i <= 7; i++) {
    await seedReceipt(p, {
      terminal: tA1.terminal,
      acceptedAt: minutesAgo(100 - i),
      items: [{ name: `Lens ${i}`, price: 450_000, quantity: 2, sum: 900_000, vat: "vat20" }],
      payments: [{ type: "cash", amount: 1_000_000 }],
      ...(i % 2 === 1
        ? {
            fiscal: {
              fdNumber: 100 + i,
              fiscalSign: `42816883${i}`,
              fnNumber: "9287440301120991",
              shiftNumber: 17,
              fiscalizedAt: minutesAgo(100 - i),
            },
          }
        : {}),
    });
  }
  for (let i = 1; i <= 2; i++)
    await seedReceipt(p, { terminal: tA2.terminal, acceptedAt: minutesAgo(50 - i) });
  for (let i = 1; i <= 3; i++)
    await seedReceipt(p, { terminal: tB1.terminal, acceptedAt: minutesAgo(50 - i) });

  const ownerA = await seedUser(p, {
    organizationId: orgA.id,
    role: "owner",
    email: "owner@a.test",
    password: "correct horse",
  });
  const managerA1 = await seedUser(p, { organizationId: orgA.id, role: "manager", storeIds: [storeA1.id] });
  const ownerB = await seedUser(p, { organizationId: orgB.id, role: "owner" });
  const loner = await seedUser(p, { organizationId: orgB.id });
  await p.membership.deleteMany({ where: { userId: loner.user.id } });
  for (const [name, seeded] of Object.entries({ ownerA, managerA1, ownerB, loner })) {
    users[name as keyof typeof users] = {
      id: seeded.user.id,
      email: seeded.user.email,
      password: seeded.password,
    };
  }
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe("tenancy", () => {
  it("an owner sees every terminal of their organization and none of another's", async () => {
    const { terminals } = await callerFor(users.ownerA.id).fleet.list();
    expect(terminals.map((t) => t.id).sort()).toEqual([ids.tA1, ids.tA2].sort());
    const a1 = terminals.find((t) => t.id === ids.tA1)!;
    expect(a1).toMatchObject({
      online: true,
      clockSkewMs: 420,
      store: { name: "A1 Tverskaya" },
    });
    expect(terminals.find((t) => t.id === ids.tA2)).toMatchObject({ online: false });
    // Receipt figures are the terminal page's (one till's rows), never counted for the whole fleet.
    const caller = callerFor(users.ownerA.id);
    expect(await caller.terminals.get({ terminalId: ids.tA1 })).toMatchObject({ receiptsCount: 7 });
    expect(await caller.terminals.get({ terminalId: ids.tA2 })).toMatchObject({ receiptsCount: 2 });
  });

  it("a store-scoped manager sees only their store's terminals and receipts", async () => {
    const caller = callerFor(users.managerA1.id);
    const { terminals } = await caller.fleet.list();
    expect(terminals.map((t) => t.id)).toEqual([ids.tA1]);
    const { receipts } = await caller.receipts.list({ limit: 100 });
    expect(receipts).toHaveLength(7);
    expect(new Set(receipts.map((r) => r.terminalId))).toEqual(new Set([ids.tA1]));
    // Asking for the other store by id yields nothing rather than leaking it.
    expect((await caller.receipts.list({ storeId: ids.storeA2 })).receipts).toHaveLength(0);
    await expect(caller.terminals.get({ terminalId: ids.tA2 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await caller.me()).stores.map((s) => s.id)).toEqual([ids.storeA1]);
  });

  it("another organization's terminal and receipts are invisible, even by id", async () => {
    const caller = callerFor(users.ownerB.id);
    expect((await caller.fleet.list()).terminals.map((t) => t.id)).toEqual([ids.tB1]);
    await expect(caller.terminals.get({ terminalId: ids.tA1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const theirs = (await callerFor(users.ownerA.id).receipts.list({ terminalId: ids.tA1, limit: 1 }))
      .receipts[0]!;
    await expect(caller.receipts.get({ terminalId: ids.tA1, receiptId: theirs.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await caller.receipts.list({ terminalId: ids.tA1 })).receipts).toHaveLength(0);
  });

  it("a user with no membership is refused", async () => {
    await expect(callerFor(users.loner.id).fleet.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

// Sign-in, sign-out, revocation and throttling: auth/sign-in.integration.test.ts.

describe("receipts list", () => {
  it("pages newest first with a cursor, without repeats or gaps", async () => {
    const caller = callerFor(users.ownerA.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await caller.receipts.list({
        terminalId: ids.tA1,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      sizes.push(page.receipts.length);
      seen.push(...page.receipts.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    const all = (await caller.receipts.list({ terminalId: ids.tA1, limit: 100 })).receipts;
    expect(seen).toEqual(all.map((r) => r.id));
    const times = all.map((r) => r.acceptedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("refuses a forged cursor with a typed error", async () => {
    await expect(
      callerFor(users.ownerA.id).receipts.list({ cursor: "bm90LWEtY3Vyc29y" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      kassaCode: "VALIDATION_FAILED",
    });
  });

  it("filters by status, store, time window and FD number", async () => {
    const caller = callerFor(users.ownerA.id);
    const fiscalized = (await caller.receipts.list({ status: "fiscalized", limit: 100 })).receipts;
    expect(fiscalized.map((r) => r.fdNumber).sort()).toEqual([101, 103, 105, 107]);
    const pending = (await caller.receipts.list({ status: "accepted", limit: 100 })).receipts;
    expect(pending).toHaveLength(3 + 2);
    expect((await caller.receipts.list({ storeId: ids.storeA2 })).receipts).toHaveLength(2);
    // Receipts 1..7 of tA1 were accepted 99..93 minutes ago: [97, 95) min ago holds receipts 3 and 4.
    const window = (await caller.receipts.list({ from: minutesAgo(97), to: minutesAgo(95) })).receipts;
    expect(window.map((r) => r.acceptedAt.getTime()).sort()).toEqual([
      minutesAgo(97).getTime(),
      minutesAgo(96).getTime(),
    ]);
    expect((await caller.receipts.list({ fdNumber: 105 })).receipts.map((r) => r.fdNumber)).toEqual([105]);
  });

  it("refuses an inverted time window", async () => {
    await expect(
      callerFor(users.ownerA.id).receipts.list({ from: minutesAgo(1), to: minutesAgo(5) }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("fleet health", () => {
  it("shows the pending DLQ count, each breaker's latest state and the FN backlog against the 30-day limit", async () => {
    const p = db.prisma;
    // Through ingest, which keeps Fleet's counters (sync/store-terminal-status.ts).
    const dlq = (id: string, status: "pending" | "discarded") =>
      ({
        kind: "dlq_item",
        id,
        hlc: "1795330000000.00000",
        data: {
          destination: "central",
          itemKind: "receipt",
          itemId: id,
          status,
          reason: "Refused by the central server",
          fingerprint: "VALIDATION_FAILED:abc",
          attempts: 1,
          errors: [],
          payloadBase64: Buffer.from("{}").toString("base64"),
        },
      }) as TIngestItem;
    const transition = (id: string, destination: string, at: Date, from: string, to: string) =>
      ({
        kind: "breaker_transition",
        id,
        hlc: `${at.getTime()}.00000`,
        data: { destination, at: at.toISOString(), from, to, cause: `${to} cause`, failures: 5 },
      }) as TIngestItem;
    await ingestBatch(
      db.sql,
      { organizationId: ids.orgA, storeId: ids.storeA1, id: ids.tA1 },
      {
        holder: "agent",
        leaseToken: null,
        sentAtMs: NOW.getTime() + 420,
        hlc: `${NOW.getTime()}.00000`,
        items: [
          dlq("d1", "pending"),
          dlq("d2", "pending"),
          dlq("d3", "discarded"),
          transition("b1", "central", minutesAgo(30), "closed", "open"),
          transition("b2", "central", minutesAgo(10), "open", "half_open"),
          transition("b3", "ofd", minutesAgo(20), "closed", "open"),
        ],
      },
      NOW,
    );
    await p.terminalSyncState.update({
      where: { organizationId_terminalId: { organizationId: ids.orgA, terminalId: ids.tA1 } },
      data: {
        ofdUnsentCount: 12,
        ofdOldestUnsentAt: new Date(NOW.getTime() - 26 * 86_400_000 - 3_600_000),
        ofdMeasuredAt: minutesAgo(1),
      },
    });

    const { terminals } = await callerFor(users.ownerA.id).fleet.list();
    const a1 = terminals.find((t) => t.id === ids.tA1)!;
    expect(a1.dlqPending).toBe(2);
    expect(a1.breakers.map((b) => [b.destination, b.state])).toEqual([
      ["central", "half_open"],
      ["ofd", "open"],
    ]);
    expect(a1.fn).toMatchObject({ unsentCount: 12, daysLeft: 4 });
    const a2 = terminals.find((t) => t.id === ids.tA2)!;
    expect(a2).toMatchObject({ dlqPending: 0, fn: { unsentCount: null, daysLeft: null } });
    expect(a2.breakers.map((b) => [b.destination, b.state, b.since])).toEqual([
      ["central", "closed", null],
      ["ofd", "closed", null],
    ]);
    expect((await callerFor(users.ownerA.id).terminals.get({ terminalId: ids.tA1 })).dlqPending).toBe(2);
  });
});

describe("receipt detail", () => {
  it("returns items, payments, fiscal attributes and lineage in kopecks", async () => {
    const caller = callerFor(users.ownerA.id);
    const [summary] = (await caller.receipts.list({ fdNumber: 107 })).receipts;
    const receipt = await caller.receipts.get({ terminalId: ids.tA1, receiptId: summary!.id });
    expect(receipt).toMatchObject({
      total: 900_000n,
      change: 100_000n,
      status: "fiscalized",
      fdNumber: 107,
      fnNumber: "9287440301120991",
      shiftNumber: 17,
      timezone: "Europe/Moscow",
      items: [{ name: "Lens 7", price: 450_000n, quantity: 2, sum: 900_000n, vat: "vat20" }],
      payments: [{ type: "cash", amount: 1_000_000n }],
    });
    expect(receipt.lineage.acceptedAt).toEqual(minutesAgo(93));
    expect(receipt.lineage.fiscalizedAt).toEqual(minutesAgo(93));
    expect(receipt.lineage.receivedCentrallyAt).toBeInstanceOf(Date);
    // The till reported 12 unsent documents, the oldest from 26 days ago: this one may be among them.
    expect(receipt.lineage.ofdConfirmedAt).toBeNull();
    expect(receipt.lineage.ofdBacklog).toEqual({
      unsentCount: 12,
      oldestUnsentAt: new Date(NOW.getTime() - 26 * 86_400_000 - 3_600_000),
      measuredAt: minutesAgo(1),
    });
  });
});
