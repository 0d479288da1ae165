import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRegistry } from "../metrics.ts";
import { centralRouter } from "../router.ts";
import { hlcAt, sampleReceiptItem } from "../sync/sample-receipts.ts";
import { terminalStatusItem } from "../sync/sample-terminal-status.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";
import { evaluateAlerts } from "./evaluate.ts";
import { startAlertScheduler } from "./scheduler.ts";
import { DEFAULT_ALERT_THRESHOLDS, updateThresholds } from "./thresholds.ts";

// Every rule fires once and resolves when its condition clears, on data that arrives through the
// real `ingest.push`, evaluated at instants of a fake clock (no sleeps). PostgreSQL with
// TEST_DATABASE_URL, else PGlite. Each test has its own organization, so rules never meet.

const createCaller = createCallerFactory(centralRouter);
const MIN = 60_000;
const DAY = 86_400_000;
const T0 = new Date("2026-12-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
let db: CentralDatabase;
let dispose: () => Promise<void>;
const lines: { message: string; fields: Record<string, unknown> }[] = [];
const log = (message: string, fields: Record<string, unknown>) => lines.push({ message, fields });

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
}, 60_000);
afterAll(async () => dispose?.());

async function oneTill(): Promise<SeededTerminal> {
  const [till] = await seedFleet(db, { stores: 1, perStore: 1 });
  return till!;
}

const leases = new Map<string, string | null>();
/** One push from the till at `when`; `skewMs` = how far the till's clock is ahead of ours. */
async function push(till: SeededTerminal, when: Date, items: TPushBatchInput["items"] = [], skewMs = 0) {
  const caller = createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => when,
    }),
  );
  const answer = await caller.ingest.push({
    terminalId: till.id,
    holder: `agent-${till.id}`,
    leaseToken: leases.get(till.id) ?? null,
    sentAtMs: when.getTime() + skewMs,
    hlc: hlcAt(when.getTime() + skewMs),
    items: [...items, terminalStatusItem(when.getTime() + skewMs)].slice(0, items.length || 1),
  });
  leases.set(till.id, answer.lease.token);
  for (const result of answer.results) expect(result.status).not.toBe("rejected");
}

const evaluate = (till: SeededTerminal, when: Date) =>
  evaluateAlerts(db, { now: when, log, organizationIds: [till.organizationId] });

async function alertsOf(till: SeededTerminal, rule?: string) {
  return db.sql.query<{
    rule: string;
    subject_key: string;
    destination: string | null;
    store_id: string;
    fired_at: Date;
    resolved_at: Date | null;
    value: number;
    threshold: number;
  }>(
    `SELECT rule, subject_key, destination, store_id, fired_at, resolved_at, value, threshold FROM alerts
     WHERE organization_id = $1 AND ($2::text IS NULL OR rule = $2) ORDER BY fired_at, rule`,
    [till.organizationId, rule ?? null],
  );
}

// 30 s per test: each drives real pushes and evaluation rounds, and the shared machine is slow at times.
describe("each rule fires once and resolves when its condition clears", { timeout: 30_000 }, () => {
  it("till_silent: past the threshold it fires once however often evaluated; a sync resolves it; silence again is a new row", async () => {
    const till = await oneTill();
    await push(till, T0);
    await evaluate(till, at(30 * MIN));
    expect(await alertsOf(till)).toEqual([]);

    const first = await evaluate(till, at(31 * MIN));
    expect(first.fired).toMatchObject([{ rule: "till_silent", terminalId: till.id, threshold: 30 }]);
    await evaluate(till, at(32 * MIN));
    await evaluate(till, at(33 * MIN));
    expect(await alertsOf(till)).toMatchObject([
      { rule: "till_silent", subject_key: till.id, store_id: till.storeId, value: 31, resolved_at: null },
    ]);

    await push(till, at(34 * MIN));
    const cleared = await evaluate(till, at(34 * MIN));
    expect(cleared.resolved).toMatchObject([{ rule: "till_silent", terminalId: till.id }]);
    expect((await alertsOf(till))[0]!.resolved_at).toEqual(at(34 * MIN));

    await evaluate(till, at(70 * MIN));
    const history = await alertsOf(till);
    expect(history).toHaveLength(2);
    expect(history.map((a) => [a.fired_at, a.resolved_at])).toEqual([
      [at(31 * MIN), at(34 * MIN)],
      [at(70 * MIN), null],
    ]);
    // One line per change, after commit: fired, resolved, fired.
    expect(lines.filter((l) => l.fields.terminalId === till.id).map((l) => l.message)).toEqual([
      "alert fired",
      "alert resolved",
      "alert fired",
    ]);
  });

  it("buffer_fill: fires at 80 % (not at 79.9), resolves when the till reports less", async () => {
    const till = await oneTill();
    await push(till, T0, [terminalStatusItem(T0.getTime(), { bufferFillPercent: 79.9 })]);
    await evaluate(till, T0);
    expect(await alertsOf(till)).toEqual([]);
    await push(till, at(MIN), [terminalStatusItem(at(MIN).getTime(), { bufferFillPercent: 80 })]);
    await evaluate(till, at(MIN));
    expect(await alertsOf(till)).toMatchObject([{ rule: "buffer_fill", value: 80, threshold: 80 }]);
    await push(till, at(2 * MIN), [terminalStatusItem(at(2 * MIN).getTime(), { bufferFillPercent: 12 })]);
    await evaluate(till, at(2 * MIN));
    expect((await alertsOf(till))[0]!.resolved_at).toEqual(at(2 * MIN));
  });

  it("breaker_open: per destination, timed from the first transition after the last close (half-open does not restart it)", async () => {
    const till = await oneTill();
    const transition = (n: number, when: Date, from: string, to: string) => ({
      kind: "breaker_transition" as const,
      id: `central-${n}`,
      hlc: hlcAt(when.getTime()),
      data: { destination: "central", at: when.toISOString(), from, to, cause: "ECONNREFUSED", failures: 5 },
    });
    await push(till, T0, [transition(1, T0, "closed", "open") as never]);
    await push(till, at(10 * MIN), [transition(2, at(10 * MIN), "open", "half_open") as never]);
    await push(till, at(11 * MIN), [transition(3, at(11 * MIN), "half_open", "open") as never]);
    await evaluate(till, at(15 * MIN));
    expect(await alertsOf(till)).toEqual([]);
    await evaluate(till, at(16 * MIN));
    expect(await alertsOf(till)).toMatchObject([
      {
        rule: "breaker_open",
        subject_key: `${till.id}:central`,
        destination: "central",
        value: 16,
        threshold: 15,
      },
    ]);
    await push(till, at(17 * MIN), [transition(4, at(17 * MIN), "open", "closed") as never]);
    await evaluate(till, at(17 * MIN));
    expect((await alertsOf(till))[0]!.resolved_at).toEqual(at(17 * MIN));
  });

  it("fn_unsent_age: fires on day 25 of the oldest unconfirmed document, resolves when the OFD confirmed them", async () => {
    const till = await oneTill();
    const oldest = new Date(T0.getTime() - 24 * DAY - 23 * 3_600_000).toISOString();
    const backlog = (when: Date, unsentCount: number) =>
      terminalStatusItem(when.getTime(), {
        fn: { unsentCount, oldestUnsentAt: unsentCount ? oldest : null },
      });
    await push(till, T0, [backlog(T0, 3)]);
    await evaluate(till, T0);
    expect(await alertsOf(till, "fn_unsent_age")).toEqual([]);
    await push(till, at(2 * 3_600_000), [backlog(at(2 * 3_600_000), 3)]);
    await evaluate(till, at(2 * 3_600_000));
    expect(await alertsOf(till, "fn_unsent_age")).toMatchObject([
      { value: 25, threshold: 25, resolved_at: null },
    ]);
    await push(till, at(3 * 3_600_000), [backlog(at(3 * 3_600_000), 0)]);
    await evaluate(till, at(3 * 3_600_000));
    expect((await alertsOf(till, "fn_unsent_age"))[0]!.resolved_at).toEqual(at(3 * 3_600_000));
  });

  it("clock_skew: a till 5 minutes ahead fires (seconds, absolute), a corrected clock resolves", async () => {
    const till = await oneTill();
    await push(till, T0, [], 5 * MIN);
    await evaluate(till, T0);
    expect(await alertsOf(till)).toMatchObject([{ rule: "clock_skew", value: 300, threshold: 120 }]);
    await push(till, at(MIN), [], -1_000);
    await evaluate(till, at(MIN));
    expect((await alertsOf(till))[0]!.resolved_at).toEqual(at(MIN));
  });

  it("dlq_growth: more than 10 items dead-lettered within the hour fires; the window passing resolves it", async () => {
    const till = await oneTill();
    const dead = (n: number) => ({
      kind: "dlq_item" as const,
      id: `central.receipt.r${n}`,
      hlc: hlcAt(T0.getTime(), n),
      data: {
        destination: "central",
        itemKind: "receipt",
        itemId: `r${n}`,
        status: "pending" as const,
        reason: "items.0.price: not a whole number of kopecks",
        fingerprint: "VALIDATION_FAILED:0a1b2c3d4e5f",
        attempts: 1,
        errors: [],
        payloadBase64: Buffer.from("{}").toString("base64"),
      },
    });
    await push(
      till,
      T0,
      Array.from({ length: 10 }, (_, n) => dead(n)),
    );
    // The mirror's first arrival is the database's clock: place it on the test's.
    await db.sql.query("UPDATE dlq_items SET created_at = $2 WHERE terminal_id = $1", [
      till.id,
      at(-5 * MIN),
    ]);
    await evaluate(till, T0);
    expect(await alertsOf(till)).toEqual([]);
    await push(till, at(MIN), [dead(10)]);
    await db.sql.query("UPDATE dlq_items SET created_at = $2 WHERE terminal_id = $1 AND id = $3", [
      till.id,
      at(MIN),
      "central.receipt.r10",
    ]);
    await evaluate(till, at(MIN));
    expect(await alertsOf(till)).toMatchObject([{ rule: "dlq_growth", value: 11, threshold: 10 }]);
    await push(till, at(56 * MIN));
    await evaluate(till, at(56 * MIN));
    expect((await alertsOf(till, "dlq_growth"))[0]!.resolved_at).toEqual(at(56 * MIN));
  });

  it("sync_latency: receipts stored 10 minutes after the till accepted them fire; receipts out of the hour resolve it", async () => {
    const till = await oneTill();
    const accepted = at(-10 * MIN).getTime();
    const receipts = Array.from({ length: 5 }, (_, n) => sampleReceiptItem(n + 1, accepted - 1000));
    await push(till, T0, receipts);
    await db.sql.query("UPDATE receipts SET received_at = $2 WHERE terminal_id = $1", [till.id, T0]);
    await evaluate(till, T0);
    const [latency] = await alertsOf(till, "sync_latency");
    expect(latency).toMatchObject({ threshold: 300, resolved_at: null });
    expect(latency!.value).toBeGreaterThan(595);
    expect(latency!.value).toBeLessThan(600);
    await push(till, at(55 * MIN));
    await evaluate(till, at(55 * MIN));
    expect((await alertsOf(till, "sync_latency"))[0]!.resolved_at).toEqual(at(55 * MIN));
  });

  it("sync_latency adds the till's clock skew back: a till 10 minutes slow whose receipts took a minute fires nothing", async () => {
    const till = await oneTill();
    // Accepted a minute before arrival, stamped by a clock reading 10 minutes earlier than ours.
    const stamped = at(-11 * MIN).getTime();
    await push(till, T0, [sampleReceiptItem(1, stamped - 1000)], -10 * MIN);
    await db.sql.query("UPDATE receipts SET received_at = $2 WHERE terminal_id = $1", [till.id, T0]);
    await evaluate(till, T0);
    expect(await alertsOf(till, "sync_latency")).toEqual([]);
    expect(await alertsOf(till, "clock_skew")).toMatchObject([{ value: 600 }]);
  });
});

describe("several evaluators", { timeout: 30_000 }, () => {
  it("two concurrent evaluators fire an alert once: one row, one line", async () => {
    const till = await oneTill();
    await push(till, T0, [terminalStatusItem(T0.getTime(), { bufferFillPercent: 95 })]);
    const before = lines.length;
    const rounds = await Promise.all([
      evaluate(till, at(MIN)),
      evaluate(till, at(MIN)),
      evaluate(till, at(MIN)),
    ]);
    expect(rounds.flatMap((r) => r.fired)).toHaveLength(1);
    expect(await alertsOf(till)).toHaveLength(1);
    expect(lines.length - before).toBe(1);
  });

  it("the partial unique key refuses a second firing row for the same rule and subject, even without the lock", async () => {
    const till = await oneTill();
    const insert = (id: string, resolvedAt: Date | null) =>
      db.sql.query(
        `INSERT INTO alerts (organization_id, id, rule, subject_key, terminal_id, store_id, fired_at, resolved_at, value, threshold)
         VALUES ($1, $2, 'till_silent', $3, $3, $4, $5, $6, 40, 30)`,
        [till.organizationId, id, till.id, till.storeId, T0, resolvedAt],
      );
    await insert("a1", T0);
    await insert("a2", null);
    await expect(insert("a3", null)).rejects.toThrow();
  });
});

describe("thresholds", { timeout: 30_000 }, () => {
  it("an organization's own thresholds are used; out-of-range input is VALIDATION_FAILED and changes nothing", async () => {
    const till = await oneTill();
    await updateThresholds(db, till.organizationId, { bufferFillPercent: 90 });
    await push(till, T0, [terminalStatusItem(T0.getTime(), { bufferFillPercent: 85 })]);
    await evaluate(till, T0);
    expect(await alertsOf(till)).toEqual([]);

    const refused = await updateThresholds(db, till.organizationId, {
      bufferFillPercent: 150,
      tillSilentMinutes: 1,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kassaCode: "VALIDATION_FAILED" });
    expect(Object.keys((refused as AppError).fieldErrors ?? {}).sort()).toEqual([
      "bufferFillPercent",
      "tillSilentMinutes",
    ]);
    await expect(updateThresholds(db, till.organizationId, { pagerDuty: true })).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
    });
    const [row] = await db.sql.query<{ alert_thresholds: unknown }>(
      "SELECT alert_thresholds FROM organizations WHERE id = $1",
      [till.organizationId],
    );
    expect(row!.alert_thresholds).toEqual({ ...DEFAULT_ALERT_THRESHOLDS, bufferFillPercent: 90 });
  });
});

describe("/metrics and the schedule", { timeout: 30_000 }, () => {
  it("kassa_central_alerts_firing{rule} counts firing alerts after a round; the scheduler runs rounds on its timer until stopped", async () => {
    const till = await oneTill();
    await push(till, T0, [terminalStatusItem(T0.getTime(), { bufferFillPercent: 99 })]);
    let timer: (() => void) | null = null;
    let cleared = false;
    const scheduler = startAlertScheduler({
      db: async () => db,
      now: () => at(MIN),
      log,
      setInterval: (fn) => {
        timer = fn;
        return "handle";
      },
      clearInterval: (handle) => {
        cleared = handle === "handle";
      },
    });
    expect(timer).not.toBeNull();
    const round = await scheduler.tick();
    expect(round?.evaluated).toContain(till.organizationId);
    const [expected] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM alerts WHERE rule = 'buffer_fill' AND resolved_at IS NULL",
    );
    expect(round?.firing.buffer_fill).toBe(Number(expected!.n));
    const text = await centralRegistry.metrics();
    expect(text).toContain(`kassa_central_alerts_firing{rule="buffer_fill"} ${expected!.n}`);
    expect(text).toMatch(/kassa_central_alerts_firing\{rule="dlq_growth"\} \d+/);
    scheduler.stop();
    expect(cleared).toBe(true);
  });
});
