import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRouter } from "../router.ts";
import { hlcAt, sampleReceiptItem } from "../sync/sample-receipts.ts";
import { terminalStatusItem } from "../sync/sample-terminal-status.ts";
import { STATUS_HISTORY_KEEP } from "../sync/store-terminal-status.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";

// Fleet that shows what is wrong (issue 9, items 1–2): every till's status snapshot and the
// counters ingest keeps arrive through the real `ingest.push`, and are read back through the
// dashboard router as an owner and as a store-scoped manager.

const SECRET = "test-session-secret-0123456789abcdef";
const createCaller = createCallerFactory(centralRouter);
const MIN = 60_000;
const DAY = 86_400_000;
let db: CentralDatabase;
let dispose: () => Promise<void>;
let tills: SeededTerminal[];
let ownerId: string;
let managerId: string;
let now = new Date("2026-11-24T09:00:00Z");

function dashboard(userId = ownerId) {
  return createCaller(signedInContext(db, userId, { secret: SECRET, now: () => now })).dashboard;
}

const leases = new Map<string, string | null>();
async function push(till: SeededTerminal, items: TPushBatchInput["items"], at = now) {
  const caller = createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => at,
    }),
  );
  const answer = await caller.ingest.push({
    terminalId: till.id,
    holder: `agent-${till.id}`,
    leaseToken: leases.get(till.id) ?? null,
    sentAtMs: at.getTime(),
    hlc: hlcAt(at.getTime()),
    items,
  });
  leases.set(till.id, answer.lease.token);
  return answer.results;
}

const fleet = async (userId = ownerId) => dashboard(userId).fleet.list();
const tillIn = async (id: string, userId = ownerId) =>
  (await fleet(userId)).terminals.find((t) => t.id === id)!;

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  // Store 0: tills 0 and 1; store 1: tills 2 and 3.
  tills = await seedFleet(db, { stores: 2, perStore: 2 });
  const organizationId = tills[0]!.organizationId;
  ownerId = (await seedUser(db.prisma, { organizationId, role: "owner" })).user.id;
  managerId = (await seedUser(db.prisma, { organizationId, role: "manager", storeIds: [tills[0]!.storeId] }))
    .user.id;
}, 60_000);

afterAll(async () => {
  await dispose?.();
});

describe("the till's status snapshot on Fleet", () => {
  it("a register out of paper needs attention (reason paper_out) and sorts first; an older snapshot changes nothing", async () => {
    const till = tills[3]!;
    expect((await push(till, [terminalStatusItem(now.getTime() - 20_000)]))[0]!.status).toBe("accepted");
    expect(await tillIn(till.id)).toMatchObject({ health: "ok", online: true, device: { paper: true } });

    const paperOut = terminalStatusItem(now.getTime() - 10_000, {
      device: { paper: false },
      receipts: {
        waitingForDevice: 2,
        waitingReason: { kassaCode: "PAPER_OUT", message: "The register is out of paper: load a roll." },
      },
      pending: 7,
      bufferFillPercent: 0.5,
    });
    expect((await push(till, [paperOut]))[0]!.status).toBe("accepted");
    // Delivered late (a lost answer, a retry): the till's older snapshot is not stored over the newer one.
    const stale = await push(till, [terminalStatusItem(now.getTime() - 15_000)]);
    expect(stale[0]!.status).toBe("duplicate");

    const { terminals, summary } = await fleet();
    expect(terminals[0]).toMatchObject({
      id: till.id,
      health: "attention",
      pending: 7,
      bufferFillPercent: 0.5,
      receiptsWaiting: 2,
      waitingReason: { kassaCode: "PAPER_OUT" },
      device: { connected: true, paper: false, shiftOpen: true },
      register: { fnNumber: "9999078900004312" },
      statusAt: new Date(now.getTime() - 10_000),
    });
    expect(terminals[0]!.reasons.map((r) => r.code)).toEqual(["paper_out", "receipts_waiting"]);
    expect(terminals[0]!.reasons[1]).toMatchObject({
      count: 2,
      detail: expect.stringMatching(/out of paper/),
    });
    expect(summary).toMatchObject({ tills: 4, needsAttention: 1, receiptsWaiting: 2 });

    // Paper loaded: the next snapshot clears it.
    await push(till, [terminalStatusItem(now.getTime() - 5_000)]);
    expect(await tillIn(till.id)).toMatchObject({ health: "ok", reasons: [] });
  });

  it("says since when a till is online or offline: a gap longer than the online window starts a new run", async () => {
    const till = tills[2]!;
    const first = new Date(now.getTime() - 30 * MIN);
    await push(till, [], first);
    const back = new Date(now.getTime() - MIN);
    await push(till, [], back);
    await push(till, [], new Date(now.getTime() - 30_000));
    expect(await tillIn(till.id)).toMatchObject({ online: true, onlineSince: back, offlineSince: null });

    const later = new Date(now.getTime() + 10 * MIN);
    const offline = await (async () => {
      const saved = now;
      now = later;
      try {
        return await tillIn(till.id);
      } finally {
        now = saved;
      }
    })();
    expect(offline).toMatchObject({
      online: false,
      health: "offline",
      onlineSince: null,
      offlineSince: new Date(now.getTime() - 30_000),
    });
    expect(offline.reasons.map((r) => r.code)).toEqual(["offline", "no_status"]);
  });
});

describe("Fleet's counters", () => {
  const dlqItem = (id: string, status: "pending" | "retried", counter: number) =>
    ({
      kind: "dlq_item",
      id,
      hlc: hlcAt(now.getTime() - MIN, counter),
      data: {
        destination: "central",
        itemKind: "receipt",
        itemId: id,
        status,
        reason: "Refused by the central server: items.0.vat: Invalid option",
        fingerprint: "VALIDATION_FAILED:3f2a",
        attempts: 1,
        errors: [{ at: new Date(now.getTime() - 2 * MIN).toISOString(), message: "Invalid option" }],
        payloadBase64: Buffer.from('{"receiptId":"x"}').toString("base64"),
      },
    }) as TPushBatchInput["items"][number];
  const transition = (id: string, atMs: number, from: string, to: string) =>
    ({
      kind: "breaker_transition",
      id,
      hlc: hlcAt(atMs),
      data: {
        destination: "ofd",
        at: new Date(atMs).toISOString(),
        from,
        to,
        cause: `${to}: OFD timeout`,
        failures: 5,
      },
    }) as TPushBatchInput["items"][number];

  it("keep the DLQ backlog, each breaker's newest state and the FN age without counting rows", async () => {
    const till = tills[1]!;
    await push(till, [
      dlqItem("central.receipt.r1", "pending", 1),
      dlqItem("central.receipt.r2", "pending", 2),
    ]);
    expect(await tillIn(till.id)).toMatchObject({ dlqPending: 2, health: "attention" });
    await push(till, [dlqItem("central.receipt.r1", "retried", 3)]);
    expect((await tillIn(till.id)).dlqPending).toBe(1);

    const t0 = now.getTime() - 40 * MIN;
    await push(till, [
      transition("b1", t0, "closed", "open"),
      transition("b2", t0 + 10 * MIN, "open", "half_open"),
    ]);
    // An older transition delivered after a newer one does not roll the state back.
    await push(till, [transition("b0", t0 - 10 * MIN, "half_open", "closed")]);
    const view = await tillIn(till.id);
    expect(view.breakers).toEqual([
      { destination: "central", state: "closed", since: null, cause: null },
      {
        destination: "ofd",
        state: "half_open",
        since: new Date(t0 + 10 * MIN),
        cause: "half_open: OFD timeout",
      },
    ]);

    await push(till, [
      {
        kind: "ofd_status",
        id: "ofd-status",
        hlc: hlcAt(now.getTime() - MIN, 9),
        data: {
          unsentCount: 12,
          oldestUnsentAt: new Date(now.getTime() - 26 * DAY - 3_600_000).toISOString(),
          measuredAt: new Date(now.getTime() - MIN).toISOString(),
        },
      },
    ]);
    const withFn = await tillIn(till.id);
    expect(withFn.fn).toMatchObject({ unsentCount: 12, ageDays: 26, daysLeft: 4, level: "warn" });
    // No snapshot from this till yet (an older agent): what the counters know is still shown.
    expect(withFn.reasons.map((r) => r.code)).toEqual(["fn_age_warning", "breaker_open", "dlq", "no_status"]);
    const { summary } = await fleet();
    expect(summary).toMatchObject({ dlqItems: 1, openBreakerTills: 1, fnAgeWarnings: 1 });
  });
});

describe("the terminal page", () => {
  it("shows the last 24 h of status changes, the shifts, DLQ items, breaker timeline and the register", async () => {
    const till = tills[0]!;
    const t = now.getTime();
    // One shift all along (its deadline does not move); only the paper changes in the window.
    const deadline = new Date(t + 20 * 3_600_000).toISOString();
    const status = (ms: number, paper: boolean, pending: number) =>
      terminalStatusItem(ms, { device: { paper, shiftExpiresAt: deadline }, pending }, 1);
    await push(till, [status(t - 30 * 3_600_000, true, 0)]); // before the window: its state then
    await push(till, [status(t - 3 * 3_600_000, true, 3)]); // same health: no history row
    await push(till, [status(t - 2 * 3_600_000, false, 3)]);
    await push(till, [status(t - 3_600_000, true, 1)]);
    const shift = (id: string, data: Record<string, unknown>) =>
      ({ kind: "shift", id, hlc: hlcAt(t - 3_600_000, 5), data }) as TPushBatchInput["items"][number];
    await push(till, [
      sampleReceiptItem(1),
      shift("01KSHIFT000000000000000001", {
        shiftId: "01KSHIFT000000000000000001",
        number: 41,
        status: "closed",
        openedAt: new Date(t - 28 * 3_600_000).toISOString(),
        expiresAt: new Date(t - 4 * 3_600_000).toISOString(),
        closedAt: new Date(t - 20 * 3_600_000).toISOString(),
        cashierName: "Ivanova A.",
        openingFloat: 500_000,
        expectedCash: 1_250_000,
        countedCash: 1_249_000,
      }),
      shift("01KSHIFT000000000000000002", {
        shiftId: "01KSHIFT000000000000000002",
        number: 42,
        status: "open",
        openedAt: new Date(t - 4 * 3_600_000).toISOString(),
        expiresAt: new Date(t + 20 * 3_600_000).toISOString(),
        closedAt: null,
        cashierName: "Petrov S.",
        openingFloat: 500_000,
        expectedCash: null,
        countedCash: null,
      }),
      {
        kind: "breaker_transition",
        id: "old",
        hlc: hlcAt(t - 2 * DAY),
        data: {
          destination: "central",
          at: new Date(t - 2 * DAY).toISOString(),
          from: "closed",
          to: "open",
          cause: "x",
          failures: 5,
        },
      },
      {
        kind: "breaker_transition",
        id: "recent",
        hlc: hlcAt(t - 2 * 3_600_000),
        data: {
          destination: "central",
          at: new Date(t - 2 * 3_600_000).toISOString(),
          from: "open",
          to: "closed",
          cause: "probe ok",
          failures: 0,
        },
      },
    ]);

    const page = await dashboard().terminals.get({ terminalId: till.id });
    expect(page.window).toEqual({ from: new Date(t - DAY), to: now });
    expect(page.history.map((h) => [h.at.getTime(), h.paper, h.reasons.map((r) => r.code)])).toEqual([
      [t - 30 * 3_600_000, true, []],
      [t - 2 * 3_600_000, false, ["paper_out"]],
      [t - 3_600_000, true, []],
    ]);
    expect(page.shifts.map((s) => [s.number, s.status, s.variance])).toEqual([
      [42, "open", null],
      [41, "closed", -1_000n],
    ]);
    expect(page.shifts[1]).toMatchObject({
      expectedCash: 1_250_000n,
      countedCash: 1_249_000n,
      cashierName: "Ivanova A.",
    });
    expect(page.breakerTimeline).toEqual([
      {
        destination: "central",
        at: new Date(t - 2 * 3_600_000),
        from: "open",
        to: "closed",
        cause: "probe ok",
        failures: 0,
      },
    ]);
    expect(page).toMatchObject({
      receiptsCount: 1,
      register: { model: "Shtrih-M emulator", fnNumber: "9999078900004312", firmware: null },
      dlq: [],
    });
    const withDlq = await dashboard().terminals.get({ terminalId: tills[1]!.id });
    expect(withDlq.dlq.map((d) => [d.id, d.status])).toEqual([
      ["central.receipt.r2", "pending"],
      ["central.receipt.r1", "retried"],
    ]);
  });

  it("keeps the newest status changes only", async () => {
    expect(STATUS_HISTORY_KEEP).toBeGreaterThanOrEqual(100);
    const till = tills[0]!;
    const base = now.getTime() - 50 * MIN;
    const items = Array.from({ length: STATUS_HISTORY_KEEP + 5 }, (_, i) =>
      terminalStatusItem(base + i * 10, { device: { paper: i % 2 === 0 } }, 2),
    );
    for (const item of items) await push(till, [item]);
    const [{ n }] = (await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM terminal_status_history WHERE organization_id = $1 AND terminal_id = $2",
      [till.organizationId, till.id],
    )) as [{ n: number }];
    expect(n).toBe(STATUS_HISTORY_KEEP);
  }, 120_000);
});

describe("tenancy", () => {
  it("a store-scoped manager sees no other store's tills, in the list, the summary or by id", async () => {
    const { terminals, summary } = await fleet(managerId);
    expect(terminals.map((t) => t.id).sort()).toEqual([tills[0]!.id, tills[1]!.id].sort());
    // Till 3's waiting receipts and store 1's tills count nowhere for this manager.
    expect(summary.tills).toBe(2);
    await expect(dashboard(managerId).terminals.get({ terminalId: tills[3]!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await dashboard(managerId).fleet.list({ storeId: tills[3]!.storeId })).terminals).toEqual([]);
  });
});
