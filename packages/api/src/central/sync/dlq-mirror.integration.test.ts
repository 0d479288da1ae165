import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRouter } from "../router.ts";
import { createCallerFactory } from "../trpc.ts";
import { hlcAt, sampleReceiptItem } from "./sample-receipts.ts";
import { readDlqPayload, storeDlqMirror } from "./store-dlq-mirror.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

// Issue 8, item 3: the DLQ mirror of an item never fails the way the item did, and one item's
// text PostgreSQL cannot store never fails a whole batch. Both backends the central server runs
// on: embedded PGlite always, the real PostgreSQL when TEST_DATABASE_URL is set.

const NUL = "\u0000";
const LONE_HIGH = "\uD800";
const LONE_LOW = "\uDC00";
const EMOJI_10K = "🧾😀👓".repeat(1700); // ~10 kB of astral characters (surrogate pairs)
const CONTROLS = `${Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join("")}\u007f\u0085`;

/** The outbox payloads a till may hold for a dead item, as the exact text it stored. */
const HOSTILE_PAYLOADS: Record<string, string> = {
  nul: JSON.stringify({ name: `Lens${NUL}cloth`, price: 19900 }),
  "lone surrogates": JSON.stringify({ name: `a${LONE_HIGH}b${LONE_LOW}c`, cashier: { name: LONE_HIGH } }),
  "10 kB of emoji": JSON.stringify({ name: EMOJI_10K }),
  "control characters": JSON.stringify({ comment: CONTROLS }),
  // Raw text no JSON.stringify would write: numbers jsonb cannot hold, a raw NUL, bare surrogates.
  "huge numbers and raw bytes": `{"total": 1e400000, "sum": -1e-400000, "raw": "${NUL}${LONE_HIGH}"}`,
  "not JSON at all": `<html>${NUL}${LONE_LOW}`,
};

const backends: [string, string][] = [["PGlite", ""]];
if (process.env.TEST_DATABASE_URL) backends.push(["PostgreSQL", process.env.TEST_DATABASE_URL]);

const now = new Date("2026-11-23T09:00:00Z");
const createCaller = createCallerFactory(centralRouter);

describe.each(backends)("on %s", (_name, serverUrl) => {
  let db: CentralDatabase;
  let dispose: () => Promise<void>;
  let terminals: SeededTerminal[];

  beforeAll(async () => {
    ({ db, dispose } = await openThrowawayCentral(serverUrl));
    terminals = await seedFleet(db, { stores: 1, perStore: 3 });
  }, 60_000);
  afterAll(async () => dispose?.());

  function push(terminal: SeededTerminal, items: TPushBatchInput["items"]) {
    const caller = createCaller(
      createCentralContext({
        db,
        headers: new Headers({ authorization: `Bearer ${terminal.key}` }),
        now: () => now,
      }),
    );
    return caller.ingest.push({
      terminalId: terminal.id,
      holder: "agent-a",
      leaseToken: null,
      sentAtMs: now.getTime(),
      hlc: hlcAt(now.getTime()),
      items,
    });
  }

  async function stored(terminal: SeededTerminal, id: string) {
    const rows = await db.sql.query<{
      payload: Uint8Array;
      reason: string;
      errors: unknown;
      item_id: string;
    }>("SELECT payload, reason, errors, item_id FROM dlq_items WHERE terminal_id = $1 AND id = $2", [
      terminal.id,
      id,
    ]);
    return rows[0];
  }

  it("stores hostile payloads (NUL, lone surrogates, 10 kB of emoji, controls, huge numbers) byte for byte through ingest.push, and reads them back", async () => {
    const t = terminals[0]!;
    const entries = Object.entries(HOSTILE_PAYLOADS);
    const answer = await push(
      t,
      entries.map(([label, text], n) => ({
        kind: "dlq_item" as const,
        id: `central.receipt.hostile-${n}`,
        hlc: hlcAt(now.getTime(), n),
        data: {
          destination: "central",
          itemKind: "receipt",
          itemId: `hostile-${n}`,
          status: "pending" as const,
          // The words may quote what broke the item, too.
          reason: `Refused: ${label} ${NUL}${LONE_HIGH}`,
          fingerprint: "VALIDATION_FAILED:abc",
          attempts: 1,
          errors: [{ at: now.toISOString(), message: `name: ${NUL}${LONE_LOW}` }],
          payloadBase64: Buffer.from(text, "utf8").toString("base64"),
          discardReason: `typo ${NUL}`,
        },
      })),
    );
    expect(answer.results.map((r) => r.status)).toEqual(entries.map(() => "accepted"));
    for (const [n, [label, text]] of entries.entries()) {
      const row = (await stored(t, `central.receipt.hostile-${n}`))!;
      const view = readDlqPayload(row.payload);
      // Exactly the bytes the till held (UTF-8 of its text: a lone surrogate was U+FFFD there too).
      expect(Buffer.from(row.payload).equals(Buffer.from(text, "utf8")), label).toBe(true);
      expect(view.text).toBe(Buffer.from(text, "utf8").toString("utf8"));
      expect(row.reason).toBe(`Refused: ${label} \uFFFD\uFFFD`);
      expect(row.errors).toEqual([{ at: now.toISOString(), message: "name: \uFFFD\uFFFD" }]);
    }
    // Shown by decoding: the JSON ones pretty-printed with the breakage spelled out.
    const nul = readDlqPayload((await stored(t, "central.receipt.hostile-0"))!.payload);
    expect(nul.json).toEqual({ name: `Lens${NUL}cloth`, price: 19900 });
    expect(nul.pretty).toContain('"name": "Lens\\u0000cloth"');
    const surrogates = readDlqPayload((await stored(t, "central.receipt.hostile-1"))!.payload);
    expect(surrogates.pretty).toContain("\\ud800");
    const emoji = readDlqPayload((await stored(t, "central.receipt.hostile-2"))!.payload);
    expect((emoji.json as { name: string }).name).toBe(EMOJI_10K);
    const notJson = readDlqPayload((await stored(t, "central.receipt.hostile-5"))!.payload);
    expect(notJson.json).toBeUndefined();
    expect(notJson.pretty).toBe(notJson.text);
  });

  it("stores an older agent's parsed payload (the `payload` field) as its JSON text, NUL included", async () => {
    const t = terminals[1]!;
    await storeDlqMirror(
      db.sql,
      t,
      [
        {
          id: "central.receipt.legacy",
          hlc: hlcAt(now.getTime()),
          data: {
            destination: "central",
            itemKind: "receipt",
            itemId: "legacy",
            status: "pending",
            reason: "refused",
            fingerprint: "x",
            attempts: 1,
            errors: [],
            payload: { name: `a${NUL}b${LONE_HIGH}` },
          },
        },
      ],
      now,
    );
    const view = readDlqPayload((await stored(t, "central.receipt.legacy"))!.payload);
    expect(view.json).toEqual({ name: `a${NUL}b${LONE_HIGH}` });
  });

  it("refuses, per item, records and receipts whose text PostgreSQL cannot store; the rest of the batch is stored", async () => {
    const t = terminals[2]!;
    const answer = await push(t, [
      sampleReceiptItem(1),
      { kind: "device_event", id: "ev-nul", hlc: hlcAt(now.getTime(), 1), data: { message: `paper${NUL}` } },
      {
        kind: "cash_movement",
        id: "cash-surrogate",
        hlc: hlcAt(now.getTime(), 2),
        data: { amount: 1000, comment: `float ${LONE_HIGH}` },
      },
      { kind: "shift", id: "shift-key", hlc: hlcAt(now.getTime(), 3), data: { [`z${NUL}`]: 1 } },
      { kind: "rum", id: `rum${NUL}`, hlc: hlcAt(now.getTime(), 4), data: { ms: 5 } },
      {
        kind: "device_event",
        id: "event-ok",
        hlc: hlcAt(now.getTime(), 5),
        data: { ms: 5, emoji: EMOJI_10K },
      },
      {
        kind: "breaker_transition",
        id: "central-1",
        hlc: hlcAt(now.getTime(), 6),
        data: {
          destination: "central",
          at: now.toISOString(),
          from: "closed",
          to: "open",
          cause: `5 failures; last: Unexpected token ${NUL}${LONE_LOW}`,
          failures: 5,
        },
      },
      sampleReceiptItem(2),
    ]);
    expect(answer.results.map((r) => [r.id, r.status, r.code ?? null])).toEqual([
      [sampleReceiptItem(1).id, "accepted", null],
      ["ev-nul", "rejected", "UNSTORABLE_TEXT"],
      ["cash-surrogate", "rejected", "UNSTORABLE_TEXT"],
      ["shift-key", "rejected", "UNSTORABLE_TEXT"],
      [`rum${NUL}`, "rejected", "UNSTORABLE_TEXT"],
      ["event-ok", "accepted", null],
      ["central-1", "accepted", null],
      [sampleReceiptItem(2).id, "accepted", null],
    ]);
    const reasons = answer.results.filter((r) => r.status === "rejected").map((r) => r.reason);
    expect(reasons[0]).toMatch(/data\.message: contains U\+0000 \(NUL\) at position 6/);
    expect(reasons[1]).toMatch(/data\.comment: contains a lone surrogate U\+D800/);
    expect(reasons[2]).toMatch(/a key with/);
    expect(reasons[3]).toMatch(/^rum rum\uFFFD: id: contains U\+0000/);
    expect(answer.results.every((r) => r.status !== "rejected" || r.retryable === false)).toBe(true);
    const records = await db.sql.query<{ id: string }>(
      "SELECT id FROM terminal_records WHERE terminal_id = $1 ORDER BY id",
      [t.id],
    );
    expect(records.map((r) => r.id)).toEqual(["event-ok"]);
    const cause = await db.sql.query<{ cause: string }>(
      "SELECT cause FROM breaker_transitions WHERE terminal_id = $1",
      [t.id],
    );
    expect(cause[0]?.cause).toBe("5 failures; last: Unexpected token \uFFFD\uFFFD");
  });
});
