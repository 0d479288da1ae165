import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRouter } from "../router.ts";
import { createCallerFactory } from "../trpc.ts";
import { hlcAt } from "./sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

// Correction receipts centrally (issue 12): `correction` and `correction_fiscalized` are immutable
// records — a redelivery is a duplicate in either order, other fiscal attributes a conflict, bad
// figures a typed refusal — and the terminal page lists them with their fiscal document.

const SECRET = "test-session-secret-0123456789abcdef";
const createCaller = createCallerFactory(centralRouter);
let db: CentralDatabase;
let dispose: () => Promise<void>;
let till: SeededTerminal;
let ownerId: string;
const now = new Date("2026-11-22T08:00:00Z");

let leaseToken: string | null = null;
async function push(items: TPushBatchInput["items"]) {
  const caller = createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => now,
    }),
  );
  const answer = await caller.ingest.push({
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

const correction = (id: string, data: Record<string, unknown> = {}) =>
  ({
    kind: "correction",
    id,
    hlc: hlcAt(now.getTime(), 1),
    data: {
      kind: "income_return",
      correctionType: "self",
      basis: { date: "2026-11-20" },
      taxSystem: "osn",
      cashier: { name: "Иванова" },
      items: [{ name: "Хлеб", price: 5_990, quantity: 2, vat: "vat10", sum: 11_980 }],
      payments: { cash: 11_980, electronic: 0 },
      total: 11_980,
      shiftId: "01SHIFT",
      acceptedAt: "2026-11-22T10:00:00+03:00",
      ...data,
    },
  }) as TPushBatchInput["items"][number];
const fiscalized = (id: string, fdNumber = 9) =>
  ({
    kind: "correction_fiscalized",
    id,
    hlc: hlcAt(now.getTime(), 2),
    data: {
      fdNumber,
      fiscalSign: "2917963",
      fnNumber: "9999078900004312",
      shiftNumber: 1,
      dateTime: "2026-11-22T10:00:01+03:00",
    },
  }) as TPushBatchInput["items"][number];

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  [till] = (await seedFleet(db)) as [SeededTerminal];
  ownerId = (await seedUser(db.prisma, { organizationId: till.organizationId, role: "owner" })).user.id;
}, 60_000);
afterAll(async () => dispose?.());

describe("correction receipts, centrally", () => {
  it("stores a correction and its fiscal document once, whichever arrives first and however often", async () => {
    // The fiscalization first (two batches crossing): stored as it is, the correction joins it.
    expect((await push([fiscalized("c1")]))[0]!.status).toBe("accepted");
    expect((await push([correction("c1"), fiscalized("c1")])).map((r) => r.status)).toEqual([
      "accepted",
      "duplicate",
    ]);
    expect((await push([correction("c1")]))[0]!.status).toBe("duplicate");
    // One correction, one fiscal document: other attributes are refused, the stored ones kept.
    expect((await push([fiscalized("c1", 10)]))[0]).toMatchObject({
      status: "rejected",
      code: "RECORD_CONFLICT",
    });
    const documents = await db.sql.query<{ receipts: number }>(
      "SELECT receipts FROM register_shift_documents WHERE terminal_id = $1 AND shift_number = 1",
      [till.id],
    );
    expect(documents).toEqual([{ receipts: 1 }]); // counted once, for the shift's reconciliation

    const dashboard = createCaller(
      signedInContext(db, ownerId, { secret: SECRET, now: () => now }),
    ).dashboard;
    const terminal = await dashboard.terminals.get({ terminalId: till.id });
    expect(terminal.corrections).toEqual([
      expect.objectContaining({
        id: "c1",
        kind: "income_return",
        correctionType: "self",
        cash: 11_980,
        fdNumber: 9,
      }),
    ]);
  });

  it("refuses a correction whose figures do not add up as a typed 400 naming it, and stores nothing", async () => {
    await expect(push([correction("c2", { total: 1 })])).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/items.*0.*data.*total/s),
    });
    const stored = await db.sql.query(
      "SELECT id FROM terminal_records WHERE terminal_id = $1 AND id = 'c2'",
      [till.id],
    );
    expect(stored).toEqual([]);
  });
});
