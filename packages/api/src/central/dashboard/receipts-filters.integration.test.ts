import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedReceipt, seedShift, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCallerFactory } from "../trpc.ts";
import { dashboardRouter } from "./router.ts";

// The receipts search's shift and "needs attention" filters (issue 9, item 6), through the
// dashboard procedure as the page calls it: a shift is its till's receipts that name it, plus those
// naming no shift (older agents) accepted between its opening and its close; "needs attention" is a
// receipt the register refused, not yet voided.

const SECRET = "test-session-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T10:00:00Z");
const createCaller = createCallerFactory(dashboardRouter);
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

let db: CentralDatabase;
let ownerId: string;
let otherOrgOwnerId: string;
let terminalId: string;
let otherTerminalId: string;
let shiftId: string;
let openShiftId: string;
const receipt = {} as Record<
  "before" | "inShift" | "refused" | "afterClose" | "inOpenShift" | "otherTill",
  string
>;

function callerFor(userId: string) {
  return createCaller(signedInContext(db, userId, { secret: SECRET, now: () => NOW }));
}

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  const org = await seedOrganization(p, { name: "Optika" });
  const store = await seedStore(p, { organizationId: org.id, name: "Tverskaya", timezone: "Europe/Moscow" });
  const till = (await seedTerminal(p, { organizationId: org.id, storeId: store.id, name: "Till 1" }))
    .terminal;
  const other = (await seedTerminal(p, { organizationId: org.id, storeId: store.id, name: "Till 2" }))
    .terminal;
  terminalId = till.id;
  otherTerminalId = other.id;
  ownerId = (await seedUser(p, { organizationId: org.id, role: "owner" })).user.id;
  const otherOrg = await seedOrganization(p, { name: "Jewels" });
  otherOrgOwnerId = (await seedUser(p, { organizationId: otherOrg.id, role: "owner" })).user.id;

  // Shift 7 of Till 1: opened 300 min ago, closed 200 min ago. Shift 8 opened 100 min ago, still open.
  shiftId = (await seedShift(p, { terminal: till, number: 7, openedAt: at(300), closedAt: at(200) })).shiftId;
  openShiftId = (await seedShift(p, { terminal: till, number: 8, openedAt: at(100) })).shiftId;
  const sale = async (terminal: typeof till, seq: number, acceptedAt: Date) =>
    (await seedReceipt(p, { terminal, seq, acceptedAt })).id;
  receipt.before = await sale(till, 1, at(320));
  receipt.inShift = await sale(till, 2, at(280));
  receipt.refused = await sale(till, 3, at(250));
  receipt.afterClose = await sale(till, 4, at(150));
  receipt.inOpenShift = await sale(till, 5, at(50));
  receipt.otherTill = await sale(other, 1, at(280));
  // The register refused receipt 3 for its content (receipt_attention), and one of Till 2's too.
  for (const [id, terminal] of [
    [receipt.refused, till.id],
    [receipt.otherTill, other.id],
  ] as const) {
    await p.receipt.update({
      where: { organizationId_terminalId_id: { organizationId: org.id, terminalId: terminal, id } },
      data: { attentionAt: at(249), attentionCode: "DEVICE_REFUSED", attentionMessage: "Tax group not set" },
    });
  }
}, 60_000);
afterAll(() => db?.close());

const ids = (list: { receipts: { id: string }[] }) => list.receipts.map((r) => r.id).sort();

describe("receipts list: by shift", () => {
  it("lists only the receipts the till accepted between the shift's opening and its close", async () => {
    const list = await callerFor(ownerId).receipts.list({ terminalId, shiftId });
    expect(ids(list)).toEqual([receipt.inShift, receipt.refused].sort());
    expect(list.shift).toMatchObject({ id: shiftId, number: 7, openedAt: at(300), closedAt: at(200) });
  });

  it("an open shift runs until now", async () => {
    const list = await callerFor(ownerId).receipts.list({ terminalId, shiftId: openShiftId });
    expect(ids(list)).toEqual([receipt.inOpenShift]);
    expect(list.shift).toMatchObject({ number: 8, closedAt: null });
  });

  it("takes a receipt that names its shift by the name, whatever its accept time (a clock step), and never one naming another shift", async () => {
    const p = db.prisma;
    const [till] = await p.terminal.findMany({ where: { id: terminalId } });
    const third = (await seedTerminal(p, { organizationId: till!.organizationId, storeId: till!.storeId }))
      .terminal;
    const s = (await seedShift(p, { terminal: third, number: 1, openedAt: at(300), closedAt: at(200) }))
      .shiftId;
    const next = (await seedShift(p, { terminal: third, number: 2, openedAt: at(200) })).shiftId;
    const named = async (seq: number, acceptedAt: Date, shift: string | null) => {
      const r = await seedReceipt(p, { terminal: third, seq, acceptedAt });
      if (shift)
        await p.receipt.update({
          where: {
            organizationId_terminalId_id: {
              organizationId: third.organizationId,
              terminalId: third.id,
              id: r.id,
            },
          },
          data: { shiftId: shift },
        });
      return r.id;
    };
    const inside = await named(1, at(280), s);
    const clockStepped = await named(2, at(190), s); // after the close by its clock, but the till says shift 1
    const atTheSwitch = await named(3, at(200), next); // in both windows by time: the next shift's
    const olderAgent = await named(4, at(250), null);
    const list = await callerFor(ownerId).receipts.list({ terminalId: third.id, shiftId: s });
    expect(ids(list)).toEqual([inside, clockStepped, olderAgent].sort());
    expect(ids(await callerFor(ownerId).receipts.list({ terminalId: third.id, shiftId: next }))).toEqual([
      atTheSwitch,
    ]);
  });

  it("combines with the status filter", async () => {
    const list = await callerFor(ownerId).receipts.list({ terminalId, shiftId, status: "needs_attention" });
    expect(ids(list)).toEqual([receipt.refused]);
  });

  it("needs the till: a shift id alone is a typed validation error", async () => {
    await expect(callerFor(ownerId).receipts.list({ shiftId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("is NOT_FOUND for another till's id, or outside the user's organization", async () => {
    await expect(
      callerFor(ownerId).receipts.list({ terminalId: otherTerminalId, shiftId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(otherOrgOwnerId).receipts.list({ terminalId, shiftId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("receipts list: needs attention", () => {
  it("lists the receipts the register refused, across tills, and nothing else", async () => {
    const list = await callerFor(ownerId).receipts.list({ status: "needs_attention" });
    expect(ids(list)).toEqual([receipt.refused, receipt.otherTill].sort());
    expect(list.receipts.every((r) => r.status === "needs_attention")).toBe(true);
    expect(list.receipts[0]!.attention).toMatchObject({
      code: "DEVICE_REFUSED",
      message: "Tax group not set",
    });
    expect(list.shift).toBeNull();
  });

  it("a voided receipt no longer needs attention", async () => {
    await db.prisma.receipt.updateMany({
      where: { id: receipt.otherTill },
      data: { voidedAt: at(10), voidedBy: "support@example.test", voidReason: "sale settled" },
    });
    const list = await callerFor(ownerId).receipts.list({ status: "needs_attention" });
    expect(ids(list)).toEqual([receipt.refused]);
  });
});
