import { readFileSync } from "node:fs";
import type { CentralDatabase } from "@kassa/db/central";
import {
  seedCashMovement,
  seedOrganization,
  seedReceipt,
  seedShift,
  seedStore,
  seedTerminal,
  seedUser,
} from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardCaller } from "./test-caller.ts";

// 18:00 in Moscow: the day's shifts of store A1 (Moscow, UTC+3) are all on 2026-11-24.
const NOW = new Date("2026-11-24T15:00:00Z");
const DAY = "2026-11-24";
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00Z`);
const FN = "9287440301120991";

let db: CentralDatabase;
const ids = {} as Record<"orgA" | "storeA1" | "storeA2" | "tA1" | "tA2" | "s1" | "s2" | "s3" | "s4", string>;
const users = {} as Record<"owner" | "managerA1" | "support" | "ownerB", string>;
const call = (user: keyof typeof users) => dashboardCaller(db, users[user], NOW);

type Terminal = { organizationId: string; storeId: string; id: string };
const sale = (terminal: Terminal, seq: number, time: string, cash: number, paid: number, fd?: number) =>
  seedReceipt(db.prisma, {
    terminal,
    seq,
    acceptedAt: at(time),
    items: [{ name: `Item ${seq}`, price: cash || 50_000, quantity: 1, sum: cash || 50_000, vat: "vat20" }],
    payments: cash ? [{ type: "cash", amount: paid }] : [{ type: "card", amount: 50_000 }],
    ...(fd
      ? {
          fiscal: {
            fdNumber: fd,
            fiscalSign: `${fd}000`,
            fnNumber: FN,
            // The register stamps each document with its own shift: S1 printed FD 11–13, S2 FD 16–17.
            shiftNumber: fd < 15 ? 1 : 2,
            fiscalizedAt: at(time),
          },
        }
      : {}),
  });

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  const orgA = await seedOrganization(p, { name: "Optika A" });
  const storeA1 = await seedStore(p, {
    organizationId: orgA.id,
    name: "A1 Tverskaya",
    timezone: "Europe/Moscow",
  });
  const storeA2 = await seedStore(p, {
    organizationId: orgA.id,
    name: "A2 Nevsky",
    timezone: "Europe/Moscow",
  });
  const tA1 = (await seedTerminal(p, { organizationId: orgA.id, storeId: storeA1.id, name: "A1 till 1" }))
    .terminal;
  const tA2 = (await seedTerminal(p, { organizationId: orgA.id, storeId: storeA2.id, name: "A2 till 1" }))
    .terminal;
  const orgB = await seedOrganization(p, { name: "Jewels B" });
  const tB1 = (await seedTerminal(p, { organizationId: orgB.id })).terminal;

  // S1 (A1): float 5,000 ₽; cash sale 1,200 ₽ (paid 1,500, change 300); card sale; cash refund 200 ₽;
  // a voided cash sale of 700 ₽; cash in 100 ₽, cash out 3,000 ₽. Expected 3,100 ₽; counted 2,900 ₽.
  const s1 = await seedShift(p, {
    terminal: tA1,
    number: 1,
    openedAt: at("06:00"),
    closedAt: at("12:00"),
    openingFloat: 500_000,
    countedCash: 290_000,
    openFd: 10,
    closeFd: 14,
    cash: {
      openingFloat: 500_000,
      cashSales: 120_000,
      cashRefunds: 20_000,
      cashIn: 10_000,
      cashOut: 300_000,
      expected: 310_000,
    },
  });
  await sale(tA1, 1, "07:00", 120_000, 150_000, 11);
  await sale(tA1, 2, "08:00", 0, 0, 12);
  await seedReceipt(p, {
    terminal: tA1,
    seq: 3,
    kind: "refund",
    acceptedAt: at("09:00"),
    items: [{ name: "Lens", price: 20_000, quantity: 1, sum: 20_000, vat: "vat20" }],
    payments: [{ type: "cash", amount: 20_000 }],
    fiscal: { fdNumber: 13, fiscalSign: "13000", fnNumber: FN, shiftNumber: 1, fiscalizedAt: at("09:00") },
  });
  const voided = await sale(tA1, 4, "10:00", 70_000, 70_000);
  await p.receipt.update({
    where: { organizationId_terminalId_id: { organizationId: orgA.id, terminalId: tA1.id, id: voided.id } },
    data: { voidedAt: at("10:30"), voidedBy: "support@kassa", voidReason: "register refused the item name" },
  });
  await seedCashMovement(p, {
    terminal: tA1,
    shiftId: s1.shiftId,
    kind: "in",
    amount: 10_000,
    at: at("07:30"),
  });
  await seedCashMovement(p, {
    terminal: tA1,
    shiftId: s1.shiftId,
    kind: "out",
    amount: 300_000,
    at: at("11:00"),
  });

  // S2 (A1): receipt seq 5 (150 ₽ cash, FD 16) never reached the server; seq 6 (100 ₽, FD 17) did.
  const s2 = await seedShift(p, {
    terminal: tA1,
    number: 2,
    openedAt: at("12:30"),
    closedAt: at("14:00"),
    openingFloat: 100_000,
    countedCash: 50_000,
    openFd: 15,
    closeFd: 18,
    cash: {
      openingFloat: 100_000,
      cashSales: 25_000,
      cashRefunds: 0,
      cashIn: 0,
      cashOut: 0,
      expected: 125_000,
    },
  });
  await sale(tA1, 6, "13:30", 10_000, 10_000, 17);

  // S3 (A2): within tolerance (counted 50 ₽ short of 1,000 ₽). S4 (A1): still open.
  const s3 = await seedShift(p, {
    terminal: tA2,
    openedAt: at("06:00"),
    closedAt: at("13:00"),
    openingFloat: 100_000,
    countedCash: 95_000,
    cashierName: '=HYPERLINK("http://evil")',
  });
  const s4 = await seedShift(p, { terminal: tA1, number: 3, openedAt: at("14:30"), openingFloat: 100_000 });
  // Another organization's shift the same day: never visible to org A.
  await seedShift(p, { terminal: tB1, openedAt: at("06:00"), closedAt: at("12:00"), countedCash: 0 });

  Object.assign(ids, {
    orgA: orgA.id,
    storeA1: storeA1.id,
    storeA2: storeA2.id,
    tA1: tA1.id,
    tA2: tA2.id,
    s1: s1.shiftId,
    s2: s2.shiftId,
    s3: s3.shiftId,
    s4: s4.shiftId,
  });
  users.owner = (await seedUser(p, { organizationId: orgA.id, role: "owner" })).user.id;
  users.managerA1 = (
    await seedUser(p, {
      organizationId: orgA.id,
      role: "manager",
      storeIds: [storeA1.id],
      name: "Petrova M.",
    })
  ).user.id;
  users.support = (await seedUser(p, { organizationId: orgA.id, role: "support" })).user.id;
  users.ownerB = (await seedUser(p, { organizationId: orgB.id, role: "owner" })).user.id;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

const shiftOf = async (shiftId: string) => {
  const { shifts } = await call("owner").cash.shifts({ dayFrom: DAY, dayTo: DAY, pageSize: 100 });
  return shifts.find((s) => s.shiftId === shiftId)!;
};

describe("expected cash", () => {
  it("is opening float + cash sales − cash refunds + cash in − cash out; voided receipts do not count", async () => {
    expect(await shiftOf(ids.s1)).toMatchObject({
      openingFloat: 500_000n,
      cashSales: 120_000n,
      cashRefunds: 20_000n,
      cashIn: 10_000n,
      cashOut: 300_000n,
      expected: 310_000n,
      tillExpected: 310_000n,
      counted: 290_000n,
      variance: -20_000n,
      tolerance: 10_000n,
      state: "needs_approval",
      provisional: false,
      receipts: 4,
      voidedReceipts: 1,
    });
  });

  it("an open shift has no variance yet; a count within tolerance needs nothing", async () => {
    expect(await shiftOf(ids.s4)).toMatchObject({
      state: "open",
      counted: null,
      variance: null,
      expected: 100_000n,
    });
    expect(await shiftOf(ids.s3)).toMatchObject({ state: "within_tolerance", variance: -5_000n });
  });

  it("the tolerance is the organization's", async () => {
    await db.prisma.organization.update({ where: { id: ids.orgA }, data: { cashTolerance: 25_000n } });
    try {
      expect(await shiftOf(ids.s1)).toMatchObject({ state: "within_tolerance", tolerance: 25_000n });
    } finally {
      await db.prisma.organization.update({ where: { id: ids.orgA }, data: { cashTolerance: 10_000n } });
    }
  });
});

describe("provisional shifts", () => {
  it("a gap in the till's receipt seq, a fiscal document and the till's own totals say what is missing", async () => {
    const s2 = await shiftOf(ids.s2);
    expect(s2).toMatchObject({ provisional: true, expected: 110_000n, variance: -60_000n });
    expect(s2.missing).toEqual({
      receiptSeqs: [{ from: 5, to: 5 }],
      missingReceipts: 1,
      fiscalDocuments: 1,
      cashSales: 15_000n,
      cashRefunds: 0n,
      cashIn: 0n,
      cashOut: 0n,
    });
    const { counts } = await call("owner").cash.shifts({ dayFrom: DAY, state: "provisional" });
    expect(counts.provisional).toBe(1);
  });

  it("cannot be approved until the receipts arrive; then it is final", async () => {
    await expect(
      call("managerA1").cash.approve({
        terminalId: ids.tA1,
        shiftId: ids.s2,
        note: "short by the missing sale",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/reached the server/) });
    await sale(
      { organizationId: ids.orgA, storeId: ids.storeA1, id: ids.tA1 },
      5,
      "13:00",
      15_000,
      15_000,
      16,
    );
    expect(await shiftOf(ids.s2)).toMatchObject({
      provisional: false,
      expected: 125_000n,
      variance: -75_000n,
    });
    expect((await shiftOf(ids.s2)).missing.missingReceipts).toBe(0);
  });

  it("the till's totals alone (a trailing receipt no later seq reveals) also make it provisional", async () => {
    const terminal = (await seedTerminal(db.prisma, { organizationId: ids.orgA, storeId: ids.storeA1 }))
      .terminal;
    const shift = await seedShift(db.prisma, {
      terminal,
      openedAt: at("08:00"),
      closedAt: at("09:00"),
      countedCash: 0,
      cash: { openingFloat: 0, cashSales: 0, cashRefunds: 0, cashIn: 0, cashOut: 5_000, expected: -5_000 },
    });
    const view = await shiftOf(shift.shiftId);
    expect(view).toMatchObject({ provisional: true, missing: { cashOut: 5_000n, missingReceipts: 0 } });
  });
});

describe("approval above tolerance", () => {
  it("support may not approve (FORBIDDEN) and nothing is written", async () => {
    await expect(
      call("support").cash.approve({ terminalId: ids.tA1, shiftId: ids.s1, note: "looks fine" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.prisma.cashApproval.count()).toBe(0);
  });

  it("bad input is refused with a typed error", async () => {
    await expect(
      call("managerA1").cash.approve({ terminalId: ids.tA1, shiftId: ids.s1, note: "  " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      call("managerA1").cash.approve({ terminalId: ids.tA1, shiftId: ids.s3, note: "not mine" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      call("owner").cash.approve({ terminalId: ids.tA2, shiftId: ids.s3, note: "within tolerance" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      call("owner").cash.approve({ terminalId: ids.tA1, shiftId: ids.s4, note: "still open" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.prisma.cashApproval.count()).toBe(0);
  });

  it("a manager approves with a note; the approval is audited (who, role, when, note, figures)", async () => {
    const approved = await call("managerA1").cash.approve({
      terminalId: ids.tA1,
      shiftId: ids.s1,
      note: "  200 ₽ given as change twice, cashier confirmed  ",
    });
    expect(approved).toMatchObject({ state: "approved", variance: -20_000n });
    const { approvals } = await call("owner").cash.shift({ terminalId: ids.tA1, shiftId: ids.s1 });
    expect(approvals).toEqual([
      expect.objectContaining({
        approvedBy: users.managerA1,
        approvedByName: "Petrova M.",
        role: "manager",
        approvedAt: NOW,
        note: "200 ₽ given as change twice, cashier confirmed",
        expected: 310_000n,
        counted: 290_000n,
        variance: -20_000n,
        tolerance: 10_000n,
      }),
    ]);
    await expect(
      call("owner").cash.approve({ terminalId: ids.tA1, shiftId: ids.s1, note: "again" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already approved/) });
  });

  it("an approval holds only for the figures it approved: a late cash movement asks for a new one", async () => {
    await seedCashMovement(db.prisma, {
      terminal: { organizationId: ids.orgA, id: ids.tA1 },
      shiftId: ids.s1,
      kind: "in",
      amount: 1_000,
      at: at("11:30"),
    });
    expect(await shiftOf(ids.s1)).toMatchObject({ state: "needs_approval", expected: 311_000n });
    // An hour later (the audit orders approvals by time).
    await dashboardCaller(db, users.owner, new Date(NOW.getTime() + 3600_000)).cash.approve({
      terminalId: ids.tA1,
      shiftId: ids.s1,
      note: "re-approved after top-up",
    });
    const { approvals, movements } = await call("owner").cash.shift({ terminalId: ids.tA1, shiftId: ids.s1 });
    expect(approvals.map((a) => a.note)).toEqual([
      "re-approved after top-up",
      "200 ₽ given as change twice, cashier confirmed",
    ]);
    expect(movements.map((m) => [m.kind, m.amount])).toEqual([
      ["in", 10_000n],
      ["out", 300_000n],
      ["in", 1_000n],
    ]);
    expect((await shiftOf(ids.s1)).state).toBe("approved");
  });

  it("the shift's counters name its latest approval, as the ledger migration's backfill does too", async () => {
    const named = () =>
      db.sql.query<{ approval_id: string | null }>(
        "SELECT approval_id FROM shift_cash_counters WHERE organization_id = $1 AND terminal_id = $2 AND shift_id = $3",
        [ids.orgA, ids.tA1, ids.s1],
      );
    const [latest] = await db.sql.query<{ id: string }>(
      "SELECT id FROM cash_approvals WHERE shift_id = $1 ORDER BY approved_at DESC, id DESC LIMIT 1",
      [ids.s1],
    );
    expect(await named()).toEqual([{ approval_id: latest!.id }]);
    await db.sql.exec("UPDATE shift_cash_counters SET approval_id = NULL");
    const migration = readFileSync(
      new URL(
        "../../../../../db/prisma/central/migrations/20261202100000_shift_cash_ledger/migration.sql",
        import.meta.url,
      ),
      "utf8",
    );
    await db.sql.exec(migration.slice(migration.indexOf("-- BACKFILL")));
    expect(await named()).toEqual([{ approval_id: latest!.id }]);
    expect(await shiftOf(ids.s1)).toMatchObject({ state: "approved", approval: { id: latest!.id } });
  });
});

describe("tenancy", () => {
  it("a store-scoped manager sees no other store's shifts, days or CSV rows", async () => {
    const caller = call("managerA1");
    const { shifts } = await caller.cash.shifts({ dayFrom: DAY, pageSize: 100 });
    expect(new Set(shifts.map((s) => s.storeId))).toEqual(new Set([ids.storeA1]));
    expect((await caller.cash.shifts({ dayFrom: DAY, storeId: ids.storeA2 })).total).toBe(0);
    expect((await caller.cash.days({ dayFrom: DAY })).days.map((d) => d.storeId)).toEqual([ids.storeA1]);
    expect((await caller.cash.exportCsv({ dayFrom: DAY })).csv).not.toContain("A2 Nevsky");
    await expect(caller.cash.shift({ terminalId: ids.tA2, shiftId: ids.s3 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("another organization's owner sees none of them", async () => {
    const { shifts } = await call("ownerB").cash.shifts({ dayFrom: DAY, pageSize: 100 });
    expect(shifts.every((s) => s.organizationId !== ids.orgA)).toBe(true);
    await expect(call("ownerB").cash.shift({ terminalId: ids.tA1, shiftId: ids.s1 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("per store and day, filters and CSV", () => {
  it("sums each store's day and counts what needs attention", async () => {
    const { days } = await call("owner").cash.days({ dayFrom: DAY, dayTo: DAY });
    const a2 = days.find((d) => d.storeId === ids.storeA2)!;
    expect(a2).toMatchObject({
      day: DAY,
      shifts: 1,
      expected: 100_000n,
      counted: 95_000n,
      variance: -5_000n,
    });
    const a1 = days.find((d) => d.storeId === ids.storeA1)!;
    expect(a1.openShifts).toBe(1);
    expect(a1.shifts).toBeGreaterThanOrEqual(3);
  });

  it("a shift belongs to the store-local day it opened on", async () => {
    // 22:30 UTC on the 23rd is 01:30 on the 24th in Moscow.
    const terminal = (await seedTerminal(db.prisma, { organizationId: ids.orgA, storeId: ids.storeA2 }))
      .terminal;
    const night = await seedShift(db.prisma, { terminal, openedAt: new Date("2026-11-23T22:30:00Z") });
    const today = await call("owner").cash.shifts({ dayFrom: DAY, pageSize: 100 });
    expect(today.shifts.map((s) => s.shiftId)).toContain(night.shiftId);
    const yesterday = await call("owner").cash.shifts({ dayFrom: "2026-11-23", pageSize: 100 });
    expect(yesterday.shifts.map((s) => s.shiftId)).not.toContain(night.shiftId);
  });

  it("without days it shows the stores' own today, not UTC's: after Moscow's midnight, the new day", async () => {
    // 21:30 UTC on the 24th is 00:30 on the 25th in Moscow, where every store of Optika A is.
    const lateNight = new Date("2026-11-24T21:30:00Z");
    const terminal = (await seedTerminal(db.prisma, { organizationId: ids.orgA, storeId: ids.storeA1 }))
      .terminal;
    const justOpened = await seedShift(db.prisma, { terminal, openedAt: new Date("2026-11-24T21:10:00Z") });
    const owner = dashboardCaller(db, users.owner, lateNight);
    const shifts = await owner.cash.shifts({ pageSize: 100 });
    expect([shifts.dayFrom, shifts.dayTo]).toEqual(["2026-11-25", "2026-11-25"]);
    expect(shifts.shifts.map((s) => s.shiftId)).toEqual([justOpened.shiftId]);
    expect((await owner.cash.days({})).days.map((d) => d.day)).toEqual(["2026-11-25"]);
    expect((await owner.cash.exportCsv({})).filename).toBe("kassa-cash-2026-11-25_2026-11-25.csv");
    // A store far east is already a day ahead while Moscow's stays: the range covers both todays.
    const far = await seedStore(db.prisma, {
      organizationId: ids.orgA,
      name: "A3 Vladivostok",
      timezone: "Asia/Vladivostok",
    });
    await seedTerminal(db.prisma, { organizationId: ids.orgA, storeId: far.id });
    const evening = dashboardCaller(db, users.owner, new Date("2026-11-24T15:00:00Z"));
    expect(await evening.cash.shifts({}).then((r) => [r.dayFrom, r.dayTo])).toEqual([
      "2026-11-24",
      "2026-11-25",
    ]);
    // One store's filter: that store's today alone.
    expect(await evening.cash.shifts({ storeId: ids.storeA1 }).then((r) => [r.dayFrom, r.dayTo])).toEqual([
      "2026-11-24",
      "2026-11-24",
    ]);
    // Another organization's owner, with no store in the far east, still sees its own today only.
    expect(
      await call("ownerB")
        .cash.shifts({})
        .then((r) => [r.dayFrom, r.dayTo]),
    ).toEqual([DAY, DAY]);
  });

  it("sorts by variance and pages on the server", async () => {
    const page = await call("owner").cash.shifts({
      dayFrom: DAY,
      sort: "variance",
      order: "desc",
      pageSize: 1,
    });
    expect(page.shifts).toHaveLength(1);
    expect(page.total).toBeGreaterThan(1);
    expect(page.shifts[0]!.shiftId).toBe(ids.s2);
    const needs = await call("owner").cash.shifts({ dayFrom: DAY, state: "needs_approval" });
    expect(needs.shifts.every((s) => s.state === "needs_approval")).toBe(true);
  });

  it("refuses a day range the wrong way round or longer than 31 days", async () => {
    await expect(
      call("owner").cash.shifts({ dayFrom: "2026-11-24", dayTo: "2026-11-01" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      call("owner").cash.days({ dayFrom: "2026-01-01", dayTo: "2026-11-24" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("exports CSV: roubles from integer kopecks, formula-looking text neutralised", async () => {
    const { csv, rows, filename } = await call("owner").cash.exportCsv({ dayFrom: DAY });
    expect(filename).toBe(`kassa-cash-${DAY}_${DAY}.csv`);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(rows + 1);
    expect(lines[0]).toMatch(
      /^store,day,terminal,shift_number,shift_id,opened_at,closed_at,cashier,opening_float/,
    );
    const s1 = lines.find((l) => l.includes(ids.s1))!;
    expect(s1).toContain(
      ",5000.00,1200.00,200.00,110.00,3000.00,3110.00,2900.00,-210.00,100.00,approved,no,",
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
