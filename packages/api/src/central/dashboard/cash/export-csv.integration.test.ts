import type { CentralDatabase } from "@kassa/db/central";
import { seedCashMovement, seedReceipt, seedShift, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardCaller } from "./test-caller.ts";

// The exported CSV pinned byte for byte: the text a spreadsheet gets must not change when the way
// it is computed does (it is built from several representations of the same figures: SQL sums,
// parsed snapshots, approvals). Every id, name and time is fixed so the whole text can be compared.

const NOW = new Date("2026-11-24T21:00:00Z");
const DAY = "2026-11-24";
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00Z`);

let db: CentralDatabase;
const OWNER = "user-csv-owner";
const ORG = "org-csv";

type Terminal = { organizationId: string; storeId: string; id: string };
const cashSale = (
  terminal: Terminal,
  seq: number,
  time: string,
  cash: number,
  kind: "sale" | "refund" = "sale",
  fiscal?: { fd: number; shiftNumber: number },
) =>
  seedReceipt(db.prisma, {
    terminal,
    id: `rcpt-${terminal.id}-${seq}`,
    idempotencyKey: `pos-${terminal.id}-${seq}`,
    seq,
    kind,
    acceptedAt: at(time),
    items: [{ name: `Item ${seq}`, price: cash, quantity: 1, sum: cash, vat: "vat20" }],
    payments: [{ type: "cash", amount: cash }],
    ...(fiscal
      ? {
          fiscal: {
            fdNumber: fiscal.fd,
            fiscalSign: `${fiscal.fd}000`,
            fnNumber: "9287440301120991",
            shiftNumber: fiscal.shiftNumber,
            fiscalizedAt: at(time),
          },
        }
      : {}),
  });

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  await p.organization.create({ data: { id: ORG, name: "Сеть «Ромашка»" } });
  // Names as typed on a till or in the back office: a formula, quotes and commas, line breaks, Cyrillic.
  const formula = await seedStore(p, { organizationId: ORG, id: "store-1", name: "=SUM(A1:A9)" });
  const quoted = await seedStore(p, { organizationId: ORG, id: "store-2", name: 'Optika "Nord", Ltd' });
  const cyrillic = await seedStore(p, { organizationId: ORG, id: "store-3", name: "Магазин №3, Тверская" });
  // A store east of UTC: its shift opened at 22:30 UTC on the 23rd is on the 24th there.
  const east = await seedStore(p, {
    organizationId: ORG,
    id: "store-4",
    name: "Владивосток",
    timezone: "Asia/Vladivostok",
  });
  const till = async (id: string, storeId: string, name: string) =>
    (await seedTerminal(p, { organizationId: ORG, storeId, id, name })).terminal;
  const t1 = await till("till-1", formula.id, "Till\r\n1");
  const t2 = await till("till-2", quoted.id, "-till 2");
  const t3 = await till("till-3", cyrillic.id, "Касса 3");
  const t4 = await till("till-4", cyrillic.id, "@till 4");
  const t5 = await till("till-5", east.id, "Касса\tВосток");

  // A variance above tolerance, approved below (note with quotes and a line break).
  await seedShift(p, {
    terminal: t1,
    id: "shift-approved",
    number: 7,
    openedAt: at("06:00"),
    closedAt: at("12:00"),
    cashierName: "+7 Ivanova, A.",
    openingFloat: 500_000,
    countedCash: 612_345,
    openFd: 10,
    closeFd: 12,
    cash: {
      openingFloat: 500_000,
      cashSales: 125_050,
      cashRefunds: 0,
      cashIn: 0,
      cashOut: 0,
      expected: 625_050,
    },
  });
  await cashSale(t1, 1, "07:00", 125_050, "sale", { fd: 11, shiftNumber: 7 });
  // An open shift of the same till, later the same day.
  await seedShift(p, {
    terminal: t1,
    id: "shift-open",
    number: 8,
    openedAt: at("13:00"),
    cashierName: '"Petrov"',
    openingFloat: 1,
  });
  // A negative variance above tolerance, not approved; cash in and out; a refund.
  await seedShift(p, {
    terminal: t2,
    id: "shift-short",
    number: 1,
    openedAt: at("05:15"),
    closedAt: at("11:45"),
    cashierName: "Сидорова Е.\nстаршая",
    openingFloat: 99,
    countedCash: 0,
  });
  await cashSale(t2, 1, "06:00", 30_001);
  await cashSale(t2, 2, "07:00", 1_000, "refund");
  await seedCashMovement(p, { terminal: t2, shiftId: "shift-short", kind: "in", amount: 5, at: at("08:00") });
  await seedCashMovement(p, {
    terminal: t2,
    shiftId: "shift-short",
    kind: "out",
    amount: 10_000,
    at: at("09:00"),
  });
  // Provisional: the till counted a sale the server has not received, and printed three documents
  // the server has none of; closed without a count.
  await seedShift(p, {
    terminal: t3,
    id: "shift-provisional",
    number: 2,
    openedAt: at("04:00"),
    closedAt: at("10:00"),
    cashierName: "@admin",
    openingFloat: 10_000,
    countedCash: null,
    openFd: 1,
    closeFd: 5,
    cash: { openingFloat: 10_000, cashSales: 7_000, cashRefunds: 0, cashIn: 0, cashOut: 0, expected: 17_000 },
  });
  await cashSale(t3, 2, "05:00", 2_000);
  // Within tolerance, with a hole in the till's receipt sequence (seq 2 never arrived).
  await seedShift(p, {
    terminal: t4,
    id: "shift-holed",
    number: 3,
    openedAt: at("04:00"),
    closedAt: at("09:30"),
    cashierName: "",
    openingFloat: 0,
    countedCash: 2_950,
  });
  await cashSale(t4, 1, "05:00", 1_000);
  await cashSale(t4, 3, "06:00", 2_000);
  await seedShift(p, {
    terminal: t5,
    id: "shift-east",
    number: 1,
    openedAt: new Date("2026-11-23T22:30:00.000Z"),
    closedAt: at("08:00"),
    cashierName: "Ким Ю.",
    openingFloat: 123_456_789,
    countedCash: 123_456_789,
  });
  // The same instant written with an offset, as another writer might: the CSV still says it in UTC.
  await seedShift(p, {
    terminal: t3,
    id: "shift-offset",
    number: 3,
    openedAt: at("11:00"),
    closedAt: at("14:00"),
    cashierName: "Offset",
    openingFloat: 500,
    countedCash: 500,
  });
  await db.sql.query(
    `UPDATE terminal_records SET data = data || jsonb_build_object('openedAt', '${DAY}T14:00:00+03:00', 'closedAt', '${DAY}T17:00:00.000+03:00')
     WHERE organization_id = $1 AND terminal_id = $2 AND kind = 'shift' AND id = 'shift-offset'`,
    [ORG, t3.id],
  );
  await db.sql.query(
    `UPDATE shift_cash_counters SET shift_opened = '${DAY}T14:00:00+03:00'
     WHERE organization_id = $1 AND terminal_id = $2 AND shift_id = 'shift-offset'`,
    [ORG, t3.id],
  );

  // Namesakes: a second "Касса 3" in the same store whose shift opened the same millisecond as the
  // first's (the lines go by till id then), and a second store named "Владивосток" (the days by store id).
  const t0 = await till("till-0", cyrillic.id, "Касса 3");
  await seedShift(p, {
    terminal: t0,
    id: "shift-namesake",
    number: 1,
    openedAt: at("04:00"),
    cashierName: "Twin",
    openingFloat: 7,
  });
  const eastTwin = await seedStore(p, {
    organizationId: ORG,
    id: "store-0",
    name: "Владивосток",
    timezone: "Asia/Vladivostok",
  });
  const t6 = await till("till-6", eastTwin.id, "Касса\tВосток");
  await seedShift(p, {
    terminal: t6,
    id: "shift-east-twin",
    number: 1,
    openedAt: new Date("2026-11-24T05:00:00.000Z"),
    cashierName: "Ким Ю.",
    openingFloat: 0,
  });

  // A third, seeded after both: whichever order the shifts are read in, the ids are not all in it.
  const eastThird = await seedStore(p, {
    organizationId: ORG,
    id: "store-9",
    name: "Владивосток",
    timezone: "Asia/Vladivostok",
  });
  await seedShift(p, {
    terminal: await till("till-9", eastThird.id, "Касса\tВосток"),
    id: "shift-east-third",
    number: 1,
    openedAt: new Date("2026-11-24T06:00:00.000Z"),
    cashierName: "Ким Ю.",
    openingFloat: 0,
  });

  await seedUser(p, { organizationId: ORG, role: "owner", id: OWNER, name: '=Owner, "Chief"' });
  await dashboardCaller(db, OWNER, NOW).cash.approve({
    terminalId: t1.id,
    shiftId: "shift-approved",
    note: 'Counted twice, "twice";\r\nthe rest was a deposit',
  });
}, 60_000);

afterAll(async () => {
  await db?.close();
});

// Split at every CRLF, also those inside quoted cells (the tills' names, the note): joined back with
// CRLF it is the whole text. Sorted by day, store, till and opening (compareText, so "=SUM…" first).
const EXPECTED = [
  "store,day,terminal,shift_number,shift_id,opened_at,closed_at,cashier,opening_float,cash_sales,cash_refunds,cash_in,cash_out,expected,counted,variance,tolerance,state,provisional,missing_receipts,approved_by,approved_at,approval_note",
  "'=SUM(A1:A9),2026-11-24,\"Till",
  '1",7,shift-approved,2026-11-24T06:00:00.000Z,2026-11-24T12:00:00.000Z,"\'+7 Ivanova, A.",5000.00,1250.50,0.00,0.00,0.00,6250.50,6123.45,-127.05,100.00,approved,no,0,"\'=Owner, ""Chief""",2026-11-24T21:00:00.000Z,"Counted twice, ""twice"";',
  'the rest was a deposit"',
  "'=SUM(A1:A9),2026-11-24,\"Till",
  '1",8,shift-open,2026-11-24T13:00:00.000Z,,"""Petrov""",0.01,0.00,0.00,0.00,0.00,0.01,,,100.00,open,no,0,,,',
  '"Optika ""Nord"", Ltd",2026-11-24,\'-till 2,1,shift-short,2026-11-24T05:15:00.000Z,2026-11-24T11:45:00.000Z,"Сидорова Е.\nстаршая",0.99,300.01,10.00,0.05,100.00,191.05,0.00,-191.05,100.00,needs_approval,no,0,,,',
  "Владивосток,2026-11-24,Касса\tВосток,1,shift-east,2026-11-23T22:30:00.000Z,2026-11-24T08:00:00.000Z,Ким Ю.,1234567.89,0.00,0.00,0.00,0.00,1234567.89,1234567.89,0.00,100.00,within_tolerance,no,0,,,",
  "Владивосток,2026-11-24,Касса\tВосток,1,shift-east-twin,2026-11-24T05:00:00.000Z,,Ким Ю.,0.00,0.00,0.00,0.00,0.00,0.00,,,100.00,open,no,0,,,",
  "Владивосток,2026-11-24,Касса\tВосток,1,shift-east-third,2026-11-24T06:00:00.000Z,,Ким Ю.,0.00,0.00,0.00,0.00,0.00,0.00,,,100.00,open,no,0,,,",
  '"Магазин №3, Тверская",2026-11-24,\'@till 4,3,shift-holed,2026-11-24T04:00:00.000Z,2026-11-24T09:30:00.000Z,,0.00,30.00,0.00,0.00,0.00,30.00,29.50,-0.50,100.00,within_tolerance,yes,1,,,',
  '"Магазин №3, Тверская",2026-11-24,Касса 3,1,shift-namesake,2026-11-24T04:00:00.000Z,,Twin,0.07,0.00,0.00,0.00,0.00,0.07,,,100.00,open,no,0,,,',
  '"Магазин №3, Тверская",2026-11-24,Касса 3,2,shift-provisional,2026-11-24T04:00:00.000Z,2026-11-24T10:00:00.000Z,\'@admin,100.00,20.00,0.00,0.00,0.00,120.00,,,100.00,not_counted,yes,4,,,',
  '"Магазин №3, Тверская",2026-11-24,Касса 3,3,shift-offset,2026-11-24T11:00:00.000Z,2026-11-24T14:00:00.000Z,Offset,5.00,0.00,0.00,0.00,0.00,5.00,5.00,0.00,100.00,within_tolerance,no,0,,,',
];

describe("the exported CSV", () => {
  it("is the same text for the same data", async () => {
    const { csv, rows, filename, truncated } = await dashboardCaller(db, OWNER, NOW).cash.exportCsv({
      dayFrom: DAY,
    });
    expect({ rows, filename, truncated }).toEqual({
      rows: 10,
      filename: `kassa-cash-${DAY}_${DAY}.csv`,
      truncated: false,
    });
    expect(csv).toBe(`${EXPECTED.join("\r\n")}\r\n`);
  });

  it("lists namesake stores' days by store id, whatever order the ledger read their shifts in", async () => {
    const { days } = await dashboardCaller(db, OWNER, NOW).cash.days({ dayFrom: DAY });
    expect(days.filter((d) => d.storeName === "Владивосток").map((d) => d.storeId)).toEqual([
      "store-0",
      "store-4",
      "store-9",
    ]);
  });
});
