import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ALERT_THRESHOLDS } from "../../alerts/thresholds.ts";
import { signedInContext } from "../../auth/testing.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../../sync/test-central.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";

// The Alerts procedures as the page and the shell call them: firing and history, filters, keyset
// pages, store scope, and the thresholds an owner edits (PostgreSQL with TEST_DATABASE_URL, else PGlite).

const createCaller = createCallerFactory(dashboardRouter);
const NOW = new Date("2026-12-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
let db: CentralDatabase;
let dispose: () => Promise<void>;
let tills: SeededTerminal[];
let other: SeededTerminal;
const user = {} as Record<"owner" | "manager" | "support" | "otherOwner", string>;

const as = (userId: string) => createCaller(signedInContext(db, userId, { now: () => NOW }));

async function alert(
  till: SeededTerminal,
  id: string,
  rule: string,
  firedAt: Date,
  resolvedAt: Date | null = null,
  destination: string | null = null,
) {
  await db.sql.query(
    `INSERT INTO alerts (organization_id, id, rule, subject_key, terminal_id, store_id, destination, fired_at, resolved_at, value, threshold)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 42, 30)`,
    [
      till.organizationId,
      id,
      rule,
      destination ? `${till.id}:${destination}` : till.id,
      till.id,
      till.storeId,
      destination,
      firedAt,
      resolvedAt,
    ],
  );
}

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  // Store 0: tills 0, 1; store 1: tills 2, 3.
  tills = await seedFleet(db, { stores: 2, perStore: 2 });
  [other] = (await seedFleet(db, { stores: 1, perStore: 1 })) as [SeededTerminal];
  const organizationId = tills[0]!.organizationId;
  user.owner = (await seedUser(db.prisma, { organizationId, role: "owner" })).user.id;
  user.support = (await seedUser(db.prisma, { organizationId, role: "support" })).user.id;
  user.manager = (
    await seedUser(db.prisma, { organizationId, role: "manager", storeIds: [tills[0]!.storeId] })
  ).user.id;
  user.otherOwner = (
    await seedUser(db.prisma, { organizationId: other.organizationId, role: "owner" })
  ).user.id;
  await alert(tills[0]!, "A01", "till_silent", minutesAgo(50), minutesAgo(40));
  await alert(tills[0]!, "A02", "till_silent", minutesAgo(30));
  await alert(tills[1]!, "A03", "breaker_open", minutesAgo(20), null, "ofd");
  await alert(tills[2]!, "A04", "buffer_fill", minutesAgo(10));
  await alert(tills[3]!, "A05", "dlq_growth", minutesAgo(5), minutesAgo(1));
  await alert(other, "B01", "clock_skew", minutesAgo(3));
}, 60_000);
afterAll(async () => dispose?.());

// 30 s per test: each drives real pushes and evaluation rounds, and the shared machine is slow at times.
describe("alerts.list and alerts.count", { timeout: 30_000 }, () => {
  it("firing by default, newest first, with till, store, unit and destination; history and all on asking", async () => {
    const firing = await as(user.owner).alerts.list();
    expect(firing.items.map((a) => a.id)).toEqual(["A04", "A03", "A02"]);
    expect(firing.total).toBe(3);
    expect(firing.items[1]).toMatchObject({
      rule: "breaker_open",
      destination: "ofd",
      terminalId: tills[1]!.id,
      terminalName: tills[1]!.id,
      storeName: "Store 0",
      unit: "minutes",
      value: 42,
      threshold: 30,
      resolvedAt: null,
    });
    const resolved = await as(user.owner).alerts.list({ state: "resolved" });
    expect(resolved.items.map((a) => [a.id, a.resolvedAt])).toEqual([
      ["A05", minutesAgo(1)],
      ["A01", minutesAgo(40)],
    ]);
    expect((await as(user.owner).alerts.list({ state: "all" })).total).toBe(5);
  });

  it("filters by rule, store and till, and pages by cursor without repeats", async () => {
    const owner = as(user.owner);
    expect((await owner.alerts.list({ state: "all", rule: "till_silent" })).items.map((a) => a.id)).toEqual([
      "A02",
      "A01",
    ]);
    expect(
      (await owner.alerts.list({ state: "all", storeId: tills[2]!.storeId })).items.map((a) => a.id),
    ).toEqual(["A05", "A04"]);
    expect(
      (await owner.alerts.list({ state: "all", terminalId: tills[1]!.id })).items.map((a) => a.id),
    ).toEqual(["A03"]);
    const first = await owner.alerts.list({ state: "all", limit: 2 });
    const second = await owner.alerts.list({ state: "all", limit: 2, cursor: first.nextCursor! });
    const third = await owner.alerts.list({ state: "all", limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((a) => a.id)).toEqual([
      "A05",
      "A04",
      "A03",
      "A02",
      "A01",
    ]);
    expect(third.nextCursor).toBeNull();
    await expect(owner.alerts.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
    });
  });

  it("is store-scoped: a manager of store 0 sees and counts only its alerts; nobody sees another organization's", async () => {
    expect((await as(user.manager).alerts.list({ state: "all" })).items.map((a) => a.id)).toEqual([
      "A03",
      "A02",
      "A01",
    ]);
    expect(await as(user.manager).alerts.count()).toEqual({ firing: 2 });
    expect(await as(user.owner).alerts.count()).toEqual({ firing: 3 });
    expect(await as(user.owner).alerts.count({ storeId: tills[2]!.storeId })).toEqual({ firing: 1 });
    expect(await as(user.support).alerts.count()).toEqual({ firing: 3 });
    expect((await as(user.otherOwner).alerts.list()).items.map((a) => a.id)).toEqual(["B01"]);
  });
});

describe("alerts.thresholds", { timeout: 30_000 }, () => {
  it("everyone reads the thresholds in force; only an owner may change them", async () => {
    const read = await as(user.manager).alerts.thresholds.get();
    expect(read).toEqual({
      organizations: [
        {
          organizationId: tills[0]!.organizationId,
          organizationName: "Optika",
          thresholds: DEFAULT_ALERT_THRESHOLDS,
          canConfigure: false,
        },
      ],
      defaults: DEFAULT_ALERT_THRESHOLDS,
    });
    const organizationId = tills[0]!.organizationId;
    const thresholds = { ...DEFAULT_ALERT_THRESHOLDS, tillSilentMinutes: 45 };
    await expect(
      as(user.manager).alerts.thresholds.update({ organizationId, thresholds }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      as(user.support).alerts.thresholds.update({ organizationId, thresholds }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // An owner of another organization is no owner here.
    await expect(
      as(user.otherOwner).alerts.thresholds.update({ organizationId, thresholds }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await as(user.owner).alerts.thresholds.update({ organizationId, thresholds })).toEqual(thresholds);
    const after = await as(user.owner).alerts.thresholds.get();
    expect(after.organizations[0]).toMatchObject({ thresholds, canConfigure: true });
  });

  it("out-of-range values are refused with the field named, and nothing changes", async () => {
    const organizationId = tills[0]!.organizationId;
    const before = (await as(user.owner).alerts.thresholds.get()).organizations[0]!.thresholds;
    const refused = await as(user.owner)
      .alerts.thresholds.update({
        organizationId,
        thresholds: { ...before, bufferFillPercent: 0, dlqGrowthWindowMinutes: 99_999 },
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    const issues = JSON.stringify((refused as { cause?: unknown }).cause);
    expect(issues).toContain("bufferFillPercent");
    expect(issues).toContain("dlqGrowthWindowMinutes");
    expect((await as(user.owner).alerts.thresholds.get()).organizations[0]!.thresholds).toEqual(before);
  });
});
