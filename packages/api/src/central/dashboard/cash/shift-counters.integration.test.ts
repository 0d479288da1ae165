import { readFileSync } from "node:fs";
import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedReceipt, seedShift, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralContext } from "../../context.ts";
import type { TIngestItem } from "../../ingest/ingest-items.types.ts";
import { centralRouter } from "../../router.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardCaller } from "./test-caller.ts";

// The receipts' own shift (receipts name it on the wire) and the per-shift cash counters ingest
// keeps for it (sync/shift-cash.ts): the cash page must show what it showed when it summed the
// receipts at read time, through duplicates, voids and late arrivals.

const NOW = new Date("2026-11-24T15:00:00Z");
const DAY = "2026-11-24";
const at = (hhmm: string, seconds = 0) => new Date(`${DAY}T${hhmm}:${String(seconds).padStart(2, "0")}Z`);
const hlc = (when: Date, counter = 0) =>
  `${String(when.getTime()).padStart(13, "0")}.${String(counter).padStart(5, "0")}`;
const FN = "9287440301120991";

let db: CentralDatabase;
let ownerId: string;
let orgId: string;
let storeId: string;
const createCaller = createCallerFactory(centralRouter);

interface Till {
  terminal: { organizationId: string; storeId: string; id: string };
  key: string;
  leaseToken: string | null;
}

async function newTill(name: string): Promise<Till> {
  const { terminal, key } = await seedTerminal(db.prisma, { organizationId: orgId, storeId, name });
  return { terminal, key, leaseToken: null };
}

async function push(till: Till, items: TIngestItem[]) {
  const answer = await createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => NOW,
    }),
  ).ingest.push({
    terminalId: till.terminal.id,
    holder: "agent-a",
    leaseToken: till.leaseToken,
    sentAtMs: NOW.getTime(),
    hlc: hlc(NOW),
    items,
  });
  till.leaseToken = answer.lease.token;
  return answer.results.map((r) => r.status);
}

/** A cash receipt as the till delivers it; `shiftId` absent = an agent from before receipts named it. */
function receipt(
  seq: number,
  when: Date,
  cash: number,
  opts: {
    shiftId?: string;
    kind?: "sale" | "refund";
    fd?: number;
    counter?: number;
    /** The register shift that printed it (default 1), on FN `fn` (default FN), at `printedAt` (default `when`). */
    registerShift?: number;
    fn?: string;
    printedAt?: Date;
  } = {},
): Extract<TIngestItem, { kind: "receipt" }> {
  return {
    kind: "receipt",
    id: `rcpt-${seq}`,
    hlc: hlc(when, opts.counter ?? 0),
    data: {
      idempotencyKey: `pos-${seq}`,
      seq,
      kind: opts.kind ?? "sale",
      taxSystem: "osn",
      cashier: { name: "Ivanova A." },
      items: [{ name: `Item ${seq}`, price: cash, quantity: 1, vat: "vat20" }],
      payments: [{ type: "cash", amount: cash }],
      total: cash,
      change: 0,
      acceptedAt: when.toISOString(),
      ...(opts.shiftId ? { shiftId: opts.shiftId } : {}),
      ...(opts.fd
        ? {
            fiscal: {
              fdNumber: opts.fd,
              fiscalSign: `${opts.fd}000`,
              fnNumber: opts.fn ?? FN,
              shiftNumber: opts.registerShift ?? 1,
              dateTime: (opts.printedAt ?? when).toISOString(),
            },
          }
        : {}),
    },
  };
}

const attention = (id: string, when: Date): TIngestItem => ({
  kind: "receipt_attention",
  id,
  hlc: hlc(when, 1),
  data: {
    reason: { kassaCode: "KKT_REJECTED", message: "The register refused the item name" },
    at: when.toISOString(),
  },
});
const voided = (id: string, when: Date): TIngestItem => ({
  kind: "receipt_voided",
  id,
  hlc: hlc(when, 2),
  data: { by: "support@kassa", reason: "register refused the item name", at: when.toISOString() },
});

const shiftOf = async (terminalId: string, shiftId: string) =>
  (await dashboardCaller(db, ownerId, NOW).cash.shift({ terminalId, shiftId })).shift;

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const org = await seedOrganization(db.prisma, { name: "Optika C" });
  orgId = org.id;
  storeId = (await seedStore(db.prisma, { organizationId: org.id, name: "C1", timezone: "Europe/Moscow" }))
    .id;
  ownerId = (await seedUser(db.prisma, { organizationId: org.id, role: "owner" })).user.id;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe("a receipt's own shift", () => {
  it("counts in the shift it names, even accepted in the second one shift closed and the next opened, or across a clock step", async () => {
    const till = await newTill("C1 till 1");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 1,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
      openingFloat: 100_000,
    });
    const s2 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 2,
      openedAt: at("12:00"),
      openingFloat: 100_000,
    });
    expect(
      await push(till, [
        receipt(1, at("07:00"), 10_000, { shiftId: s1.shiftId }),
        // Accepted in the new shift at 12:00:00.000, before the old one's close snapshot's HLC
        // counter: by time alone it lies in both shifts' windows.
        receipt(2, at("12:00"), 20_000, { shiftId: s2.shiftId }),
        // The till's clock stepped back an hour after the shift changed: by time it was S1's.
        receipt(3, at("11:30"), 40_000, { shiftId: s2.shiftId, counter: 9 }),
      ]),
    ).toEqual(["accepted", "accepted", "accepted"]);

    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({
      cashSales: 10_000n,
      receipts: 1,
      expected: 110_000n,
    });
    expect(await shiftOf(till.terminal.id, s2.shiftId)).toMatchObject({
      cashSales: 60_000n,
      receipts: 2,
      expected: 160_000n,
    });
  });

  it("still matches a receipt that names no shift (an older agent) by its accept time", async () => {
    const till = await newTill("C1 till 2");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
    });
    await push(till, [
      receipt(1, at("07:00"), 10_000),
      receipt(2, at("08:00"), 5_000, { shiftId: s1.shiftId }),
    ]);
    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({
      cashSales: 15_000n,
      receipts: 2,
      provisional: false,
    });
    // The till upgraded before its ack arrived: the same receipt again, now naming its shift, is
    // the stored one (shiftId is outside the body hash), and it is not counted a second time.
    expect(await push(till, [receipt(1, at("07:00"), 10_000, { shiftId: s1.shiftId })])).toEqual([
      "duplicate",
    ]);
    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({ cashSales: 15_000n, receipts: 2 });
  });

  it("gives a receipt naming no shift, accepted the millisecond one shift closed and the next opened, to one of them: the HLC decides", async () => {
    const till = await newTill("C1 till 2b");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 1,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
      hlc: hlc(at("12:00"), 5),
    });
    const s2 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 2,
      openedAt: at("12:00"),
      closedAt: at("18:00"),
      hlc: hlc(at("18:00"), 0),
    });
    await push(till, [
      receipt(1, at("07:00"), 10_000),
      // Both at 12:00:00.000: the first before S1's closing snapshot (HLC counter 5), the second after.
      receipt(2, at("12:00"), 1_000, { counter: 3 }),
      receipt(3, at("12:00"), 300, { counter: 6 }),
      receipt(4, at("13:00"), 20_000),
    ]);
    const [first, second] = [
      await shiftOf(till.terminal.id, s1.shiftId),
      await shiftOf(till.terminal.id, s2.shiftId),
    ];
    expect(first).toMatchObject({ cashSales: 11_000n, receipts: 2, provisional: false });
    expect(second).toMatchObject({ cashSales: 20_300n, receipts: 2, provisional: false });
    // The page's days and the CSV read the same figures: the day's cash is each receipt once.
    const days = await dashboardCaller(db, ownerId, NOW).cash.days({
      dayFrom: DAY,
      dayTo: DAY,
      terminalId: till.terminal.id,
    });
    expect(days.days.map((d) => d.expected)).toEqual([31_300n]);
  });
});

describe("per-shift cash counters", () => {
  it("count a receipt once however often it is delivered: again in the same batch, the same batch again, a later batch", async () => {
    const till = await newTill("C1 till 3");
    const s = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      openingFloat: 50_000,
    });
    const sale = receipt(1, at("07:00"), 30_000, { shiftId: s.shiftId });
    const refund = receipt(2, at("07:30"), 5_000, { shiftId: s.shiftId, kind: "refund" });
    expect(await push(till, [sale, refund, sale])).toEqual(["accepted", "accepted", "duplicate"]);
    expect(await push(till, [sale, refund])).toEqual(["duplicate", "duplicate"]);
    expect(await push(till, [refund])).toEqual(["duplicate"]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 30_000n,
      cashRefunds: 5_000n,
      receipts: 2,
      expected: 75_000n,
    });
  });

  it("take a voided receipt's cash out once (a repeated void changes nothing), and put it back if it was fiscalized after all", async () => {
    const till = await newTill("C1 till 4");
    const s = await seedShift(db.prisma, { terminal: till.terminal, openedAt: at("06:00") });
    const kept = receipt(1, at("07:00"), 10_000, { shiftId: s.shiftId });
    const refused = receipt(2, at("07:10"), 70_000, { shiftId: s.shiftId });
    await push(till, [kept, refused]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 80_000n,
      voidedReceipts: 0,
    });

    expect(await push(till, [attention(refused.id, at("07:11")), voided(refused.id, at("07:20"))])).toEqual([
      "accepted",
      "accepted",
    ]);
    expect(await push(till, [voided(refused.id, at("07:20"))])).toEqual(["duplicate"]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 10_000n,
      receipts: 2,
      voidedReceipts: 1,
      expected: 10_000n,
    });

    // The register printed it after all (FD arrives late): a fiscal document exists, it is cash again.
    const fiscal = {
      fdNumber: 9,
      fiscalSign: "9000",
      fnNumber: FN,
      shiftNumber: 1,
      dateTime: at("07:30").toISOString(),
    };
    expect(
      await push(till, [{ kind: "receipt_fiscalized", id: refused.id, hlc: hlc(at("07:30")), data: fiscal }]),
    ).toEqual(["accepted"]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 80_000n,
      voidedReceipts: 0,
    });
  });

  it("turn a closed shift from provisional to complete when its last receipt arrives after the close", async () => {
    const till = await newTill("C1 till 5");
    const s = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
      openingFloat: 100_000,
      countedCash: 130_000,
      openFd: 20,
      closeFd: 23,
      cash: {
        openingFloat: 100_000,
        cashSales: 30_000,
        cashRefunds: 0,
        cashIn: 0,
        cashOut: 0,
        expected: 130_000,
      },
    });
    await push(till, [receipt(1, at("07:00"), 10_000, { shiftId: s.shiftId, fd: 21 })]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 10_000n,
      expected: 110_000n,
      provisional: true,
      missing: { cashSales: 20_000n, fiscalDocuments: 1 },
    });

    // Delivered after the close (the till was offline), accepted before it.
    await push(till, [receipt(2, at("11:59"), 20_000, { shiftId: s.shiftId, fd: 22 })]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      cashSales: 30_000n,
      expected: 130_000n,
      variance: 0n,
      state: "within_tolerance",
      provisional: false,
      missing: { cashSales: 0n, fiscalDocuments: 0, missingReceipts: 0 },
    });
  });

  it("list the missing seqs of a shift whose receipts name it", async () => {
    const till = await newTill("C1 till 6");
    const s = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
    });
    await push(till, [
      receipt(1, at("07:00"), 1_000, { shiftId: s.shiftId }),
      receipt(4, at("08:00"), 1_000, { shiftId: s.shiftId }),
    ]);
    expect((await shiftOf(till.terminal.id, s.shiftId)).missing).toMatchObject({
      receiptSeqs: [{ from: 2, to: 3 }],
      missingReceipts: 2,
    });
  });
});

describe("register shift documents (the Z report's FD range)", () => {
  const documents = (terminalId: string) =>
    db.sql.query<{ fn_number: string; shift_number: number; receipts: number }>(
      `SELECT fn_number, shift_number, receipts FROM register_shift_documents
       WHERE organization_id = $1 AND terminal_id = $2 ORDER BY fn_number, shift_number`,
      [orgId, terminalId],
    );
  const closedShift = (till: Till, number: number, openFd: number, closeFd: number, day = DAY) =>
    seedShift(db.prisma, {
      terminal: till.terminal,
      number,
      openedAt: new Date(`${day}T06:00:00Z`),
      closedAt: new Date(`${day}T12:00:00Z`),
      openFd,
      closeFd,
    });
  const fiscalized = (id: string, fd: number, when: Date, registerShift = 1): TIngestItem => ({
    kind: "receipt_fiscalized",
    id,
    hlc: hlc(when, 3),
    data: {
      fdNumber: fd,
      fiscalSign: `${fd}000`,
      fnNumber: FN,
      shiftNumber: registerShift,
      dateTime: when.toISOString(),
    },
  });

  it("count a printed receipt once however often it is delivered, and a fiscalization once however often it is repeated", async () => {
    const till = await newTill("C1 till 8");
    const s = await closedShift(till, 1, 30, 33);
    const first = receipt(1, at("07:00"), 1_000, { shiftId: s.shiftId, fd: 31 });
    expect(await push(till, [first, first])).toEqual(["accepted", "duplicate"]);
    expect(await push(till, [first])).toEqual(["duplicate"]);
    expect(await documents(till.terminal.id)).toEqual([{ fn_number: FN, shift_number: 1, receipts: 1 }]);
    expect((await shiftOf(till.terminal.id, s.shiftId)).missing.fiscalDocuments).toBe(1);

    // Stored before it printed; its FD arrives on its own, then again, then inside a redelivered receipt.
    const second = receipt(2, at("08:00"), 1_000, { shiftId: s.shiftId });
    await push(till, [second]);
    expect(await push(till, [fiscalized(second.id, 32, at("08:01"))])).toEqual(["accepted"]);
    expect(await push(till, [fiscalized(second.id, 32, at("08:01"))])).toEqual(["duplicate"]);
    expect(
      await push(till, [
        receipt(2, at("08:00"), 1_000, { shiftId: s.shiftId, fd: 32, printedAt: at("08:01") }),
      ]),
    ).toEqual(["duplicate"]);
    expect(await documents(till.terminal.id)).toEqual([{ fn_number: FN, shift_number: 1, receipts: 2 }]);
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({
      provisional: false,
      missing: { fiscalDocuments: 0 },
    });
  });

  it("move nothing on a void (a voided receipt has no document) and count it once if it is printed after all", async () => {
    const till = await newTill("C1 till 9");
    const s = await closedShift(till, 1, 40, 43);
    const printed = receipt(1, at("07:00"), 1_000, { shiftId: s.shiftId, fd: 41 });
    const refused = receipt(2, at("07:10"), 2_000, { shiftId: s.shiftId });
    await push(till, [printed, refused]);
    await push(till, [attention(refused.id, at("07:11")), voided(refused.id, at("07:20"))]);
    await push(till, [voided(refused.id, at("07:20"))]);
    expect(await documents(till.terminal.id)).toEqual([{ fn_number: FN, shift_number: 1, receipts: 1 }]);
    expect((await shiftOf(till.terminal.id, s.shiftId)).missing.fiscalDocuments).toBe(1);

    await push(till, [fiscalized(refused.id, 42, at("07:30"))]);
    expect(await documents(till.terminal.id)).toEqual([{ fn_number: FN, shift_number: 1, receipts: 2 }]);
    expect((await shiftOf(till.terminal.id, s.shiftId)).missing.fiscalDocuments).toBe(0);
  });

  it("give a receipt accepted in one shift but printed in the next to the Z report that printed it", async () => {
    const till = await newTill("C1 till 10");
    const s1 = await closedShift(till, 1, 50, 52);
    const s2 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 2,
      openedAt: at("12:30"),
      closedAt: at("14:00"),
      openFd: 53,
      closeFd: 56,
    });
    // Out of paper at 11:50: the register printed it as FD 54 in shift 2 after the roll was changed.
    await push(till, [
      receipt(1, at("07:00"), 1_000, { shiftId: s1.shiftId, fd: 51 }),
      receipt(2, at("11:50"), 1_000, {
        shiftId: s1.shiftId,
        fd: 54,
        registerShift: 2,
        printedAt: at("12:40"),
      }),
      receipt(3, at("13:00"), 1_000, { shiftId: s2.shiftId, fd: 55, registerShift: 2 }),
    ]);
    expect((await shiftOf(till.terminal.id, s1.shiftId)).missing.fiscalDocuments).toBe(0);
    expect((await shiftOf(till.terminal.id, s2.shiftId)).missing.fiscalDocuments).toBe(0);
    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({ receipts: 2, provisional: false });
  });

  it("tell a register shift from the same number on the FN before (numbers restart on a new FN)", async () => {
    const till = await newTill("C1 till 11");
    const oldFn = "9287440301100001";
    await push(till, [
      receipt(1, new Date("2026-06-01T07:00:00Z"), 1_000, { fd: 7, fn: oldFn }),
      receipt(2, new Date("2026-06-01T08:00:00Z"), 1_000, { fd: 8, fn: oldFn }),
    ]);
    const s = await closedShift(till, 1, 1, 4);
    await push(till, [receipt(3, at("07:00"), 1_000, { shiftId: s.shiftId, fd: 2 })]);
    expect(await documents(till.terminal.id)).toEqual([
      { fn_number: oldFn, shift_number: 1, receipts: 2 },
      { fn_number: FN, shift_number: 1, receipts: 1 },
    ]);
    expect((await shiftOf(till.terminal.id, s.shiftId)).missing.fiscalDocuments).toBe(1);
  });
});

describe("the register shift documents' backfill", () => {
  it("counts the stored printed receipts as ingest did", async () => {
    const all = () =>
      db.sql.query(
        "SELECT * FROM register_shift_documents ORDER BY organization_id, terminal_id, shift_number, fn_number",
        [],
      );
    const kept = await all();
    expect(kept.length).toBeGreaterThan(3);
    const migration = readFileSync(
      new URL(
        "../../../../../db/prisma/central/migrations/20261201100000_register_shift_documents/migration.sql",
        import.meta.url,
      ),
      "utf8",
    );
    await db.sql.exec("DELETE FROM register_shift_documents");
    await db.sql.exec(migration.slice(migration.indexOf("-- BACKFILL")));
    expect(await all()).toEqual(kept);
  });
});

describe("the migration's backfill", () => {
  it("gives receipts stored before the column their shift by time and starts the counters from them: the figures stay the same", async () => {
    const till = await newTill("C1 till 7");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      closedAt: at("12:00"),
      openingFloat: 10_000,
    });
    const s2 = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("12:30"),
      openingFloat: 20_000,
    });
    const receiptAt = (seq: number, time: string, cash: number) =>
      seedReceipt(db.prisma, {
        terminal: till.terminal,
        seq,
        acceptedAt: at(time),
        items: [{ name: `Item ${seq}`, price: cash, quantity: 1, sum: cash, vat: "vat20" }],
        payments: [{ type: "cash", amount: cash }],
      });
    await receiptAt(1, "07:00", 1_000);
    const gone = await receiptAt(2, "08:00", 2_000);
    await receiptAt(3, "13:00", 4_000);
    await db.prisma.receipt.update({
      where: {
        organizationId_terminalId_id: { organizationId: orgId, terminalId: till.terminal.id, id: gone.id },
      },
      data: { voidedAt: at("08:30"), voidedBy: "support@kassa", voidReason: "refused" },
    });
    const before = [await shiftOf(till.terminal.id, s1.shiftId), await shiftOf(till.terminal.id, s2.shiftId)];

    const migration = readFileSync(
      new URL(
        "../../../../../db/prisma/central/migrations/20261124140000_receipt_shift/migration.sql",
        import.meta.url,
      ),
      "utf8",
    );
    // Before that migration there were no counters rows (seedShift now starts one, as ingest does).
    await db.sql.query("DELETE FROM shift_cash_counters WHERE organization_id = $1 AND terminal_id = $2", [
      orgId,
      till.terminal.id,
    ]);
    await db.sql.exec(migration.slice(migration.indexOf("-- BACKFILL")));
    // Then, as a database migrated from then on would, the later counters' backfill (cash in/out,
    // the receipt before each shift, which snapshot is stored).
    await db.sql.exec(ledgerBackfill());

    const rows = await db.sql.query<{ seq: bigint; shift_id: string | null }>(
      "SELECT seq, shift_id FROM receipts WHERE organization_id = $1 AND terminal_id = $2 ORDER BY seq",
      [orgId, till.terminal.id],
    );
    expect(rows.map((r) => r.shift_id)).toEqual([s1.shiftId, s1.shiftId, s2.shiftId]);
    const counters = await db.sql.query<{ shift_id: string; receipts: number; voided_receipts: number }>(
      "SELECT shift_id, receipts, voided_receipts FROM shift_cash_counters WHERE organization_id = $1 AND terminal_id = $2 ORDER BY receipts DESC",
      [orgId, till.terminal.id],
    );
    expect(counters).toEqual([
      { shift_id: s1.shiftId, receipts: 2, voided_receipts: 1 },
      { shift_id: s2.shiftId, receipts: 1, voided_receipts: 0 },
    ]);
    const after = [await shiftOf(till.terminal.id, s1.shiftId), await shiftOf(till.terminal.id, s2.shiftId)];
    expect(after).toEqual(before);
    expect(after[0]).toMatchObject({ cashSales: 1_000n, receipts: 2, voidedReceipts: 1 });
    expect(after[1]).toMatchObject({ cashSales: 4_000n, receipts: 1 });
  });
});

/** The ledger migration's backfill (cash in/out, the receipt before each shift), as a later database runs it. */
function ledgerBackfill(): string {
  const migration = readFileSync(
    new URL(
      "../../../../../db/prisma/central/migrations/20261202100000_shift_cash_ledger/migration.sql",
      import.meta.url,
    ),
    "utf8",
  );
  return migration.slice(migration.indexOf("-- BACKFILL"));
}

const movement = (
  id: string,
  shiftId: string,
  kind: "in" | "out",
  amount: number,
  when: Date,
): TIngestItem => ({
  kind: "cash_movement",
  id,
  hlc: hlc(when, 3),
  data: {
    id,
    shiftId,
    kind,
    amount,
    reason: kind === "in" ? "change float top-up" : "collection",
    denominations: null,
    cashierName: "Ivanova A.",
    at: when.toISOString(),
    hlc: hlc(when, 3),
  },
});

/** A correction receipt paid `cash` (change given back when cash + electronic exceeds the total). */
const correction = (
  id: string,
  shiftId: string,
  kind: "income" | "income_return" | "expense" | "expense_return",
  total: number,
  cash = total,
): TIngestItem => ({
  kind: "correction",
  id,
  hlc: hlc(at("09:00"), 4),
  data: {
    kind,
    correctionType: "self",
    basis: { date: "2026-11-20" },
    taxSystem: "osn",
    cashier: { name: "Ivanova A." },
    items: [{ name: "Correction", price: total, quantity: 1, vat: "vat20", sum: total }],
    payments: { cash, electronic: 0 },
    total,
    shiftId,
    acceptedAt: at("09:00").toISOString(),
  },
});
const correctionFiscalized = (id: string, fd: number): TIngestItem => ({
  kind: "correction_fiscalized",
  id,
  hlc: hlc(at("09:00"), 5),
  data: {
    fdNumber: fd,
    fiscalSign: `${fd}000`,
    fnNumber: FN,
    shiftNumber: 1,
    dateTime: at("09:00").toISOString(),
  },
});

const counters = async (till: Till, shiftId: string) =>
  (
    await db.sql.query<{ cash_in: bigint; cash_out: bigint; prev_seq: bigint | null }>(
      "SELECT cash_in, cash_out, prev_seq FROM shift_cash_counters WHERE organization_id = $1 AND terminal_id = $2 AND shift_id = $3",
      [orgId, till.terminal.id, shiftId],
    )
  ).map((r) => ({
    cashIn: BigInt(r.cash_in),
    cashOut: BigInt(r.cash_out),
    prevSeq: r.prev_seq === null ? null : Number(r.prev_seq),
  }))[0];

describe("a shift's cash in and out, kept at ingest", () => {
  it("counts a cash movement once however often it is delivered, also when it arrives before its shift", async () => {
    const till = await newTill("C1 till 8");
    const shiftId = "01SHIFTMOVEDFIRST0000000001";
    const topUp = movement("cm-1", shiftId, "in", 10_000, at("06:30"));
    const collection = movement("cm-2", shiftId, "out", 3_000, at("07:30"));
    // Before the shift's snapshot and receipts: its counters row starts with the movement.
    expect(await push(till, [topUp, collection, topUp])).toEqual(["accepted", "accepted", "duplicate"]);
    expect(await push(till, [topUp, collection])).toEqual(["duplicate", "duplicate"]);
    await seedShift(db.prisma, {
      terminal: till.terminal,
      id: shiftId,
      openedAt: at("06:00"),
      openingFloat: 5_000,
    });
    await push(till, [receipt(1, at("07:00"), 2_000, { shiftId }), collection]);
    expect(await counters(till, shiftId)).toMatchObject({ cashIn: 10_000n, cashOut: 3_000n });
    expect(await shiftOf(till.terminal.id, shiftId)).toMatchObject({
      cashIn: 10_000n,
      cashOut: 3_000n,
      expected: 5_000n + 2_000n + 10_000n - 3_000n,
    });
  });

  it("counts a fiscalized correction once, in either arrival order, and a refused one never", async () => {
    const till = await newTill("C1 till 9");
    const s = await seedShift(db.prisma, { terminal: till.terminal, openedAt: at("06:00") });
    // Fiscal document first, the correction a batch later; then both again.
    expect(await push(till, [correctionFiscalized("corr-1", 21)])).toEqual(["accepted"]);
    expect(await counters(till, s.shiftId)).toMatchObject({ cashIn: 0n, cashOut: 0n });
    expect(await push(till, [correction("corr-1", s.shiftId, "income", 4_000)])).toEqual(["accepted"]);
    expect(
      await push(till, [
        correction("corr-1", s.shiftId, "income", 4_000),
        correctionFiscalized("corr-1", 21),
      ]),
    ).toEqual(["duplicate", "duplicate"]);
    // Correction and its document in one batch, paid 5,000 in cash for 4,500: 500 change back.
    expect(
      await push(till, [
        correction("corr-2", s.shiftId, "expense", 4_500, 5_000),
        correctionFiscalized("corr-2", 22),
      ]),
    ).toEqual(["accepted", "accepted"]);
    // The correction first, its document a batch later.
    await push(till, [correction("corr-3", s.shiftId, "income_return", 700)]);
    await push(till, [correctionFiscalized("corr-3", 23)]);
    await push(till, [correctionFiscalized("corr-3", 23)]);
    // Refused by the register: no fiscal document ever follows.
    await push(till, [correction("corr-4", s.shiftId, "income", 90_000)]);
    // Another document for a stored one is a conflict and moves nothing.
    expect((await push(till, [correctionFiscalized("corr-1", 99)]))[0]).toBe("rejected");

    expect(await counters(till, s.shiftId)).toMatchObject({ cashIn: 4_000n, cashOut: 4_500n + 700n });
    expect(await shiftOf(till.terminal.id, s.shiftId)).toMatchObject({ cashIn: 4_000n, cashOut: 5_200n });
  });
});

describe("the receipt before a shift, kept at ingest", () => {
  it("turns a shift complete when the last receipt of the shift before arrives late, of that shift or naming none", async () => {
    const till = await newTill("C1 till 10");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 1,
      openedAt: at("06:00"),
      closedAt: at("09:00"),
    });
    const s2 = await seedShift(db.prisma, { terminal: till.terminal, number: 2, openedAt: at("09:30") });
    await push(till, [receipt(1, at("07:00"), 1_000, { shiftId: s1.shiftId })]);
    await push(till, [receipt(4, at("10:00"), 1_000, { shiftId: s2.shiftId })]);
    expect(await shiftOf(till.terminal.id, s2.shiftId)).toMatchObject({
      provisional: true,
      missing: { receiptSeqs: [{ from: 2, to: 3 }], missingReceipts: 2 },
    });
    // Seq 3 from an older agent (no shift named) and seq 2 of S1, late and out of order.
    await push(till, [receipt(3, at("08:30"), 1_000)]);
    expect(await counters(till, s2.shiftId)).toMatchObject({ prevSeq: 3 });
    expect(await shiftOf(till.terminal.id, s2.shiftId)).toMatchObject({ provisional: false });
    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({
      missing: { receiptSeqs: [{ from: 2, to: 2 }] },
    });
    await push(till, [receipt(2, at("08:00"), 1_000, { shiftId: s1.shiftId })]);
    await push(till, [
      receipt(2, at("08:00"), 1_000, { shiftId: s1.shiftId }),
      receipt(4, at("10:00"), 1_000, { shiftId: s2.shiftId }),
    ]);
    expect(await counters(till, s2.shiftId)).toMatchObject({ prevSeq: 3 });
    expect(await counters(till, s1.shiftId)).toMatchObject({ prevSeq: null });
    expect(await shiftOf(till.terminal.id, s1.shiftId)).toMatchObject({ provisional: false, receipts: 3 });
    // A receipt earlier than the shift's first, in the shift itself, moves its previous receipt back.
    const s3 = await seedShift(db.prisma, { terminal: till.terminal, number: 3, openedAt: at("11:00") });
    await push(till, [receipt(7, at("11:30"), 1_000, { shiftId: s3.shiftId })]);
    expect(await counters(till, s3.shiftId)).toMatchObject({ prevSeq: 4 });
    await push(till, [
      receipt(5, at("11:05"), 1_000, { shiftId: s3.shiftId }),
      receipt(6, at("11:10"), 1_000, { shiftId: s3.shiftId }),
    ]);
    expect(await counters(till, s3.shiftId)).toMatchObject({ prevSeq: 4 });
    expect(await shiftOf(till.terminal.id, s3.shiftId)).toMatchObject({ provisional: false, receipts: 3 });
  });
});

describe("the ledger's backfill and its reading", () => {
  it("sets cash in/out and the receipt before each shift as ingest kept them", async () => {
    const till = await newTill("C1 till 12");
    const s1 = await seedShift(db.prisma, {
      terminal: till.terminal,
      openedAt: at("06:00"),
      closedAt: at("08:00"),
    });
    const s2 = await seedShift(db.prisma, { terminal: till.terminal, openedAt: at("08:30") });
    await push(till, [
      receipt(1, at("07:00"), 1_000, { shiftId: s1.shiftId }),
      receipt(2, at("09:00"), 1_000, { shiftId: s2.shiftId }),
      movement("cm-12", s2.shiftId, "out", 700, at("09:10")),
      correction("corr-12", s2.shiftId, "expense_return", 300),
      correctionFiscalized("corr-12", 31),
    ]);
    expect(await counters(till, s2.shiftId)).toEqual({ cashIn: 300n, cashOut: 700n, prevSeq: 1 });
    const all = () =>
      db.sql.query(
        "SELECT organization_id, terminal_id, shift_id, cash_in, cash_out, prev_seq, prev_hlc, shift_hlc, shift_opened FROM shift_cash_counters ORDER BY organization_id, terminal_id, shift_id",
        [],
      );
    const kept = await all();
    await db.sql.exec(
      "UPDATE shift_cash_counters SET cash_in = 0, cash_out = 0, prev_seq = NULL, prev_hlc = NULL, shift_hlc = NULL, shift_opened = NULL",
    );
    await db.sql.exec(ledgerBackfill());
    expect(await all()).toEqual(kept);
  });

  it("reads a snapshot whose times are not in the agents' UTC form the same (offsets, long fractions)", async () => {
    const till = await newTill("C1 till 11");
    const s = await seedShift(db.prisma, {
      terminal: till.terminal,
      number: 1,
      openedAt: at("06:00"),
      closedAt: at("09:00"),
      openFd: 1,
      closeFd: 4,
    });
    await push(till, [
      // Naming no shift and accepted the very millisecond it opened: it is the shift's.
      receipt(3, at("06:00"), 250),
      receipt(1, at("07:00"), 1_000, { shiftId: s.shiftId, fd: 2 }),
      receipt(2, at("07:30"), 500),
      movement("cm-11", s.shiftId, "in", 2_000, at("07:40")),
    ]);
    const canonical = await shiftOf(till.terminal.id, s.shiftId);
    expect(canonical).toMatchObject({ cashSales: 1_750n, cashIn: 2_000n, missing: { fiscalDocuments: 1 } });
    // The same instants as another writer might put them (each a later snapshot): with Moscow's
    // offset; and with an offset PostgreSQL itself refuses (+19:00) and fractions finer than a millisecond,
    // which the parsed snapshot (JS Date) cuts to the millisecond, so 06:00:00.0009 is 06:00.
    for (const [openedAt, closedAt] of [
      [`${DAY}T09:00:00+03:00`, `${DAY}T12:00:00.000+03:00`],
      ["2026-11-23T20:00:00.0009-10:00", "2026-11-25T04:00:00.000999+19:00"],
      [`${DAY}T06:00:00.0001234Z`, `${DAY}T09:00:00.0001Z`],
    ] as const) {
      await db.sql.query(
        `UPDATE terminal_records SET hlc = hlc || '1', data = data || jsonb_build_object('openedAt', $4::text, 'closedAt', $5::text)
         WHERE organization_id = $1 AND terminal_id = $2 AND kind = 'shift' AND id = $3`,
        [orgId, till.terminal.id, s.shiftId, openedAt, closedAt],
      );
      // As storing it through ingest would, its row names the new snapshot (NAME_SNAPSHOTS).
      await db.sql.query(
        `UPDATE shift_cash_counters SET shift_hlc = shift_hlc || '1', shift_opened = $4
         WHERE organization_id = $1 AND terminal_id = $2 AND shift_id = $3`,
        [orgId, till.terminal.id, s.shiftId, openedAt],
      );
      expect(await shiftOf(till.terminal.id, s.shiftId)).toEqual(canonical);
    }
  });
});
