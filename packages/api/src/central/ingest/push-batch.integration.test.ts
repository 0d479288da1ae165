import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { AppError, zodFieldErrors } from "../../errors.ts";
import { createCentralContext } from "../context.ts";
import { centralRouter } from "../router.ts";
import { hlcAt, sampleReceiptItem } from "../sync/sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";
import type { TPushBatchInput } from "./push-batch.types.ts";

const createCaller = createCallerFactory(centralRouter);
let db: CentralDatabase;
let dispose: () => Promise<void>;
let terminals: SeededTerminal[];
let now = new Date("2026-11-22T08:00:00Z");

function callerFor(terminal: SeededTerminal) {
  return createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${terminal.key}` }),
      now: () => now,
    }),
  );
}

function batch(terminal: SeededTerminal, items: TPushBatchInput["items"], leaseToken: string | null = null) {
  return {
    terminalId: terminal.id,
    holder: "agent-a",
    leaseToken,
    sentAtMs: now.getTime(),
    hlc: hlcAt(now.getTime()),
    items,
  };
}

async function countReceipts(terminalId: string): Promise<number> {
  const rows = await db.sql.query<{ n: bigint }>(
    "SELECT count(*) AS n FROM receipts WHERE terminal_id = $1",
    [terminalId],
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  terminals = await seedFleet(db, { stores: 1, perStore: 2 });
}, 60_000);
afterAll(async () => dispose?.());

describe("ingest.push", () => {
  it("stores each receipt once when the same batch arrives twice", async () => {
    const [t] = terminals;
    const items = [1, 2, 3].map((n) => sampleReceiptItem(n));
    const first = await callerFor(t!).ingest.push(batch(t!, items));
    expect(first.results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
    const again = await callerFor(t!).ingest.push(batch(t!, items, first.lease.token));
    expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(await countReceipts(t!.id)).toBe(3);
  });

  it("answers an item repeated inside one batch from its first copy: the same body is a duplicate, another body a conflict", async () => {
    const [t] = await seedFleet(db, { stores: 1, perStore: 1 });
    const first = sampleReceiptItem(101);
    // The same body with its keys in another order is the same item (canonical JSON).
    const reordered = {
      ...first,
      data: Object.fromEntries(Object.entries(first.data).reverse()),
    } as typeof first;
    const changed = { ...first, data: { ...first.data, cashier: { name: "Someone Else" } } };
    const answer = await callerFor(t!).ingest.push(
      batch(t!, [first, reordered, changed, sampleReceiptItem(102)]),
    );
    expect(answer.results.map((r) => r.status)).toEqual(["accepted", "duplicate", "rejected", "accepted"]);
    expect(answer.results[2]).toMatchObject({ code: "BATCH_CONFLICT", retryable: false });
    const stored = await db.sql.query<{ cashier_name: string }>(
      "SELECT cashier_name FROM receipts WHERE terminal_id = $1 AND id = $2",
      [t!.id, first.id],
    );
    expect(stored.map((r) => r.cashier_name)).toEqual([first.data.cashier.name]);
  });

  it("rejects a different body under a stored receipt id with a clear reason, keeping the stored one", async () => {
    const [t] = terminals;
    const changed = sampleReceiptItem(1);
    changed.data = { ...changed.data, cashier: { name: "Someone Else" } };
    const answer = await callerFor(t!).ingest.push(batch(t!, [changed, sampleReceiptItem(4)]));
    expect(answer.results[0]).toMatchObject({
      status: "rejected",
      code: "RECEIPT_CONFLICT",
      retryable: false,
    });
    expect(answer.results[0]!.reason).toMatch(/different body/);
    expect(answer.results[1]!.status).toBe("accepted");
    const stored = await db.sql.query<{ total: bigint }>(
      "SELECT total FROM receipts WHERE terminal_id = $1 AND id = $2",
      [t!.id, changed.id],
    );
    expect(stored[0]!.total).toBe(2209900n);
  });

  it("refuses a receipt whose figures do not add up, naming the field, and writes nothing", async () => {
    const [t] = terminals;
    const wrongTotal = sampleReceiptItem(12);
    wrongTotal.data = { ...wrongTotal.data, total: wrongTotal.data.total + 1 };
    const before = await countReceipts(t!.id);
    const error = await callerFor(t!)
      .ingest.push(batch(t!, [sampleReceiptItem(11), wrongTotal]))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    // Over HTTP the formatter turns this cause into `fieldErrors` (what the agent's DLQ keys on).
    const fieldErrors = zodFieldErrors((error as { cause: ZodError }).cause);
    expect(Object.keys(fieldErrors)).toContain("items.1.data.total");
    expect(await countReceipts(t!.id)).toBe(before);
  });

  it("answers a malformed batch with a typed validation error naming the item, and writes nothing", async () => {
    const [t] = terminals;
    const bad = sampleReceiptItem(10);
    (bad.data.items[1] as { price: number }).price = 12.5;
    const before = await countReceipts(t!.id);
    const error = await callerFor(t!)
      .ingest.push(batch(t!, [sampleReceiptItem(9), bad]))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(await countReceipts(t!.id)).toBe(before);
  });

  it("refuses a terminal writing another terminal's data", async () => {
    const [a, b] = terminals;
    const error = await callerFor(a!)
      .ingest.push({ ...batch(a!, [sampleReceiptItem(20)]), terminalId: b!.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kassaCode: "FORBIDDEN" });
    expect(await countReceipts(b!.id)).toBe(0);
  });

  it("refuses a wrong key", async () => {
    const [a] = terminals;
    const forged = { ...a!, key: `${a!.id}.${"A".repeat(43)}` };
    await expect(callerFor(forged).ingest.push(batch(a!, [sampleReceiptItem(21)]))).rejects.toMatchObject({
      kassaCode: "UNAUTHORIZED",
    });
  });

  it("fills fiscal attributes once and rejects conflicting ones", async () => {
    const [, t] = terminals;
    const receipt = sampleReceiptItem(30);
    const fiscal = {
      fdNumber: 1234,
      fiscalSign: "4281688307",
      fnNumber: "9287440301120991",
      shiftNumber: 17,
      dateTime: "2026-11-22T10:15:00+03:00",
    };
    const early = await callerFor(t!).ingest.push(
      batch(t!, [{ kind: "receipt_fiscalized", id: receipt.id, hlc: hlcAt(2), data: fiscal }]),
    );
    expect(early.results[0]).toMatchObject({ status: "rejected", code: "RECEIPT_UNKNOWN", retryable: true });
    const first = await callerFor(t!).ingest.push(
      batch(
        t!,
        [receipt, { kind: "receipt_fiscalized", id: receipt.id, hlc: hlcAt(3), data: fiscal }],
        early.lease.token,
      ),
    );
    expect(first.results.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    const again = await callerFor(t!).ingest.push(
      batch(
        t!,
        [{ kind: "receipt_fiscalized", id: receipt.id, hlc: hlcAt(3), data: fiscal }],
        first.lease.token,
      ),
    );
    expect(again.results[0]!.status).toBe("duplicate");
    const other = await callerFor(t!).ingest.push(
      batch(
        t!,
        [{ kind: "receipt_fiscalized", id: receipt.id, hlc: hlcAt(4), data: { ...fiscal, fdNumber: 1235 } }],
        first.lease.token,
      ),
    );
    expect(other.results[0]).toMatchObject({ status: "rejected", code: "FISCAL_CONFLICT" });
    const row = await db.sql.query<{ fd_number: number }>(
      "SELECT fd_number FROM receipts WHERE terminal_id = $1 AND id = $2",
      [t!.id, receipt.id],
    );
    expect(row[0]!.fd_number).toBe(1234);
  });

  it("fences a stale lease holder out and measures clock skew", async () => {
    const [, t] = terminals;
    now = new Date(now.getTime() + 60_000); // the earlier tests' lease has lapsed
    const a = await callerFor(t!).ingest.push({ ...batch(t!, []), holder: "proc-a" });
    // proc-a goes quiet past the lease; proc-b takes over.
    now = new Date(now.getTime() + 60_000);
    const b = await callerFor(t!).ingest.push({ ...batch(t!, []), holder: "proc-b" });
    expect(BigInt(b.lease.token)).toBeGreaterThan(BigInt(a.lease.token));
    await expect(
      callerFor(t!).ingest.push({ ...batch(t!, [sampleReceiptItem(40)], a.lease.token), holder: "proc-a" }),
    ).rejects.toMatchObject({ kassaCode: "LEASE_CONFLICT" });
    // While proc-b's lease is live, a fresh acquire by proc-a is told when to come back.
    await expect(callerFor(t!).ingest.push({ ...batch(t!, []), holder: "proc-a" })).rejects.toMatchObject({
      kassaCode: "LEASE_CONFLICT",
      retryAfterSeconds: 30,
    });
    const skewed = await callerFor(t!).ingest.push({
      ...batch(t!, [], b.lease.token),
      holder: "proc-b",
      sentAtMs: now.getTime() + 4000,
    });
    expect(skewed.clockSkewMs).toBe(4000);
    const row = await db.sql.query<{ clock_skew_ms: number }>(
      "SELECT clock_skew_ms FROM terminals WHERE id = $1",
      [t!.id],
    );
    expect(row[0]!.clock_skew_ms).toBe(4000);
  });

  it("stores shifts and other records once: a newer shift snapshot replaces the older, a changed record is refused", async () => {
    const [t] = terminals;
    const at = (ms: number) => hlcAt(now.getTime() + ms);
    const open = { kind: "shift" as const, id: "shift-1", hlc: at(1), data: { status: "open" } };
    const closed = { kind: "shift" as const, id: "shift-1", hlc: at(2), data: { status: "closed", z: 7 } };
    const cash = { kind: "cash_movement" as const, id: "cm-1", hlc: at(1), data: { amount: 500000 } };
    const first = await callerFor(t!).ingest.push(batch(t!, [open, cash]));
    expect(first.results.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    const second = await callerFor(t!).ingest.push(
      batch(t!, [closed, cash, { ...cash, id: "cm-2" }], first.lease.token),
    );
    expect(second.results.map((r) => r.status)).toEqual(["accepted", "duplicate", "accepted"]);
    // A late replay of the open snapshot is harmless; a changed cash movement is not taken.
    const third = await callerFor(t!).ingest.push(
      batch(t!, [open, { ...cash, data: { amount: 1 } }], first.lease.token),
    );
    expect(third.results[0]!.status).toBe("duplicate");
    expect(third.results[1]).toMatchObject({ status: "rejected", code: "RECORD_CONFLICT" });
    const rows = await db.sql.query<{ id: string; data: unknown }>(
      "SELECT id, data FROM terminal_records WHERE terminal_id = $1 ORDER BY id",
      [t!.id],
    );
    expect(rows).toEqual([
      { id: "cm-1", data: { amount: 500000 } },
      { id: "cm-2", data: { amount: 500000 } },
      { id: "shift-1", data: { status: "closed", z: 7 } },
    ]);
  });
});
