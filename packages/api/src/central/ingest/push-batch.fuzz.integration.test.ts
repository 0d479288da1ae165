import type { CentralDatabase } from "@kassa/db/central";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralContext } from "../context.ts";
import { centralRouter } from "../router.ts";
import { hlcAt, sampleReceiptItem } from "../sync/sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";

// Generated bad batches against ingest.push: each one must be a typed 400 and write nothing.

// 10,000 against PostgreSQL (docs/targets.md); fewer on embedded PGlite, which is ~5× slower per call.
const RUNS = process.env.TEST_DATABASE_URL ? 10_000 : 2_000;
const createCaller = createCallerFactory(centralRouter);
let db: CentralDatabase;
let dispose: () => Promise<void>;
let terminal: SeededTerminal;

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  terminal = (await seedFleet(db, { stores: 1, perStore: 1 }))[0]!;
}, 60_000);
afterAll(async () => dispose?.());

/** Paths into a valid batch, each with values that are wrong for it. */
const CORRUPTIONS: [string[], fc.Arbitrary<unknown>][] = [
  [["items", "0", "data", "total"], fc.oneof(fc.double({ noInteger: true }), fc.string(), fc.constant(-1))],
  [
    ["items", "0", "data", "items", "0", "price"],
    fc.oneof(fc.double({ noInteger: true, min: 0.01, max: 1e6 }), fc.constant(-5), fc.constant(null)),
  ],
  [["items", "0", "data", "items", "0", "quantity"], fc.oneof(fc.constant(0), fc.constant(-1), fc.string())],
  [["items", "0", "data", "items"], fc.oneof(fc.constant([]), fc.constant("x"), fc.constant(null))],
  [
    ["items", "0", "data", "payments", "0", "amount"],
    fc.oneof(fc.constant(0), fc.double({ noInteger: true }), fc.bigInt()),
  ],
  [["items", "0", "data", "kind"], fc.string().filter((s) => s !== "sale" && s !== "refund")],
  [["items", "0", "data", "acceptedAt"], fc.oneof(fc.string(), fc.constant(12), fc.constant("2026-13-45"))],
  [
    ["items", "0", "data", "idempotencyKey"],
    fc.oneof(fc.constant(""), fc.string({ minLength: 65, maxLength: 200 })),
  ],
  [["items", "0", "hlc"], fc.string().filter((s) => !/^\d{13}\.\d{5}$/.test(s))],
  [
    ["items", "0", "id"],
    fc.oneof(fc.constant(""), fc.string({ minLength: 65, maxLength: 100 }), fc.integer()),
  ],
  [
    ["items", "0", "kind"],
    fc.string().filter((s) => !["receipt", "shift", "rum", "device_event", "cash_movement"].includes(s)),
  ],
  [["leaseToken"], fc.oneof(fc.constant("-1"), fc.constant("abc"), fc.constant(12))],
  [["sentAtMs"], fc.oneof(fc.constant(-1), fc.double({ noInteger: true }), fc.string())],
  [["items"], fc.oneof(fc.constant(null), fc.constant("items"), fc.constant({}))],
];

function corrupt(batch: Record<string, unknown>, path: string[], value: unknown): void {
  let node = batch as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

describe("ingest.push under generated bad input", () => {
  it("answers every malformed batch with a typed 400 and stores nothing", async () => {
    const caller = createCaller(
      createCentralContext({ db, headers: new Headers({ authorization: `Bearer ${terminal.key}` }) }),
    );
    const arbitrary = fc
      .tuple(fc.integer({ min: 0, max: CORRUPTIONS.length - 1 }), fc.integer({ min: 1, max: 3 }))
      .chain(([which, size]) => fc.tuple(fc.constant(which), fc.constant(size), CORRUPTIONS[which]![1]));
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([which, size, value]) => {
        const items = Array.from({ length: size }, (_, n) => sampleReceiptItem(seen * 10 + n));
        const batch: Record<string, unknown> = {
          terminalId: terminal.id,
          holder: "fuzz",
          leaseToken: null,
          sentAtMs: Date.now(),
          hlc: hlcAt(Date.now()),
          items,
        };
        corrupt(batch, CORRUPTIONS[which]![0], value);
        seen += 1;
        const error = await caller.ingest.push(batch as never).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: "BAD_REQUEST" });
      }),
      { numRuns: RUNS },
    );
    const stored = await db.sql.query<{ n: bigint }>("SELECT count(*) AS n FROM receipts");
    expect(Number(stored[0]!.n)).toBe(0);
    expect(seen).toBe(RUNS);
  }, 120_000);
});
