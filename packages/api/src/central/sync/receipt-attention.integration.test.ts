import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRouter } from "../router.ts";
import { createCallerFactory } from "../trpc.ts";
import { hlcAt, sampleReceiptItem } from "./sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

// Poison isolation centrally (issue 8, item 2): a receipt the till's register refused for its
// content arrives as `receipt_attention`, support's void on the till as `receipt_voided`; the
// dashboard shows the receipt's status and the till's count on Fleet, and keeps the void's audit.

const SECRET = "test-session-secret-0123456789abcdef";
const createCaller = createCallerFactory(centralRouter);
let db: CentralDatabase;
let dispose: () => Promise<void>;
let till: SeededTerminal;
let ownerId: string;
const now = new Date("2026-11-22T08:00:00Z");

function terminalCaller() {
  return createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => now,
    }),
  );
}

function dashboard() {
  return createCaller(signedInContext(db, ownerId, { secret: SECRET, now: () => now })).dashboard;
}

let leaseToken: string | null = null;
async function push(items: TPushBatchInput["items"]) {
  const answer = await terminalCaller().ingest.push({
    terminalId: till.id,
    holder: "agent-a",
    leaseToken,
    sentAtMs: now.getTime(),
    hlc: hlcAt(now.getTime()),
    items,
  });
  leaseToken = answer.lease.token;
  return answer.results;
}

const printed = sampleReceiptItem(1);
printed.data = {
  ...printed.data,
  fiscal: {
    fdNumber: 7,
    fiscalSign: "2917963",
    fnNumber: "9999078900004312",
    shiftNumber: 1,
    dateTime: "2026-11-22T10:00:01+03:00",
  },
};
const refused = sampleReceiptItem(2);
const attention = (id: string, message = "The fiscal register refused this receipt: Bad parameters.") =>
  ({
    kind: "receipt_attention",
    id,
    hlc: hlcAt(now.getTime(), 1),
    data: { reason: { kassaCode: "BAD_PARAMETERS", message }, at: "2026-11-22T10:00:02+03:00" },
  }) as const;
const voided = (id: string, by = "support:petrov", reason = "customer paid again under a new sale") =>
  ({
    kind: "receipt_voided",
    id,
    hlc: hlcAt(now.getTime(), 2),
    data: { by, reason, at: "2026-11-22T10:05:00+03:00" },
  }) as const;

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  [till] = (await seedFleet(db)) as [SeededTerminal];
  ownerId = (await seedUser(db.prisma, { organizationId: till.organizationId, role: "owner" })).user.id;
}, 60_000);
afterAll(async () => dispose?.());

describe("receipts needing attention, centrally", () => {
  it("stores the register's refusal with its receipt and shows it on the receipt and on Fleet", async () => {
    const results = await push([printed, refused, attention(refused.id)]);
    expect(results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
    // Delivered twice (a lost answer): a duplicate, nothing changes.
    expect((await push([attention(refused.id)]))[0]!.status).toBe("duplicate");

    const receipt = await dashboard().receipts.get({ terminalId: till.id, receiptId: refused.id });
    expect(receipt).toMatchObject({
      status: "needs_attention",
      attention: { code: "BAD_PARAMETERS", message: expect.stringMatching(/refused this receipt/) },
      voided: null,
      fdNumber: null,
    });
    const listed = await dashboard().receipts.list({ status: "needs_attention" });
    expect(listed.receipts.map((r) => r.id)).toEqual([refused.id]);
    expect((await dashboard().receipts.list({ status: "accepted" })).receipts).toEqual([]);

    const [terminal] = (await dashboard().fleet.list({})).terminals;
    expect(terminal).toMatchObject({
      id: till.id,
      online: true,
      receiptsNeedingAttention: 1,
      health: "attention",
    });
  });

  it("refuses an attention mark for a printed receipt, and asks again later for one not here yet", async () => {
    const [onPrinted, early] = await push([attention(printed.id), attention("rcpt-not-yet")]);
    expect(onPrinted).toMatchObject({ status: "rejected", code: "ATTENTION_CONFLICT", retryable: false });
    expect(early).toMatchObject({ status: "rejected", code: "RECEIPT_UNKNOWN", retryable: true });
    const stored = await dashboard().receipts.get({ terminalId: till.id, receiptId: printed.id });
    expect(stored).toMatchObject({ status: "fiscalized", attention: null });
  });

  it("stores support's void once, as the receipt's audit, and the till is ok again on Fleet", async () => {
    expect((await push([voided(refused.id)]))[0]!.status).toBe("accepted");
    expect((await push([voided(refused.id)]))[0]!.status).toBe("duplicate");
    const other = (await push([voided(refused.id, "someone-else")]))[0]!;
    expect(other).toMatchObject({ status: "rejected", code: "VOID_CONFLICT" });
    const onPrinted = (await push([voided(printed.id)]))[0]!;
    expect(onPrinted).toMatchObject({ status: "rejected", code: "VOID_CONFLICT" });
    expect(onPrinted.reason).toMatch(/refund/);

    const receipt = await dashboard().receipts.get({ terminalId: till.id, receiptId: refused.id });
    expect(receipt).toMatchObject({
      status: "voided",
      attention: { code: "BAD_PARAMETERS" },
      voided: {
        by: "support:petrov",
        reason: "customer paid again under a new sale",
        at: new Date("2026-11-22T07:05:00Z"),
      },
    });
    expect((await dashboard().receipts.list({ status: "voided" })).receipts.map((r) => r.id)).toEqual([
      refused.id,
    ]);
    expect((await dashboard().receipts.list({ status: "needs_attention" })).receipts).toEqual([]);
    const [terminal] = (await dashboard().fleet.list({})).terminals;
    expect(terminal).toMatchObject({ receiptsNeedingAttention: 0, health: "ok" });
  });

  it("refuses text PostgreSQL or the dashboard cannot keep (NUL, broken UTF-16) and stores nothing", async () => {
    const hostile = sampleReceiptItem(3);
    expect((await push([hostile]))[0]!.status).toBe("accepted");
    await expect(push([voided(hostile.id, "support", "bad\u0000reason")])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(push([attention(hostile.id, "broken \ud800 text")])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const receipt = await dashboard().receipts.get({ terminalId: till.id, receiptId: hostile.id });
    expect(receipt).toMatchObject({ status: "accepted", attention: null, voided: null });
  });
});
