import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CentralProcess, startCentralProcess } from "../src/sync/test-support.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Real-user monitoring through an outage (issue 11), end to end: the agent (in-process register
// emulator, fake clock) records samples while the real central server is unreachable, keeps them
// in its SQLite buffer, and delivers them after reconnection with the times they were measured.
// Also: rum.report's validation over HTTP, and every series the agent's /metrics promises.

const MINUTE = 60_000;
/** Twenty minutes before real time: the central server's clock stays ahead of the till's. */
const T0 = Math.floor((Date.now() - 20 * MINUTE) / 1000) * 1000;
const clock = { t: T0, now: () => clock.t };

let central: CentralProcess;
let agent: TestAgent;
let terminalId: string;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
  const terminal = central.terminals[0]!;
  terminalId = terminal.id;
  agent = await startTestAgent({
    env: { KASSA_TERMINAL_ID: terminal.id, KASSA_TERMINAL_KEY: terminal.key, KASSA_CENTRAL_URL: central.url },
    deps: {
      now: clock.now,
      // Rounds only when the test asks; the breaker opens at the first failure and probes at once.
      syncOptions: {
        schedule: false,
        watchMs: 0,
        breaker: { failureThreshold: 1, halfOpenAfterMs: 1, maxHalfOpenAfterMs: 1 },
      },
      // Samples reach the outbox only when syncNow flushes them: the 1 s timer once moved a round's
      // own samples there between the last round and the count (CI under load).
      rumOptions: { flushMs: 3_600_000 },
    },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await agent?.destroy();
  await central?.stop();
});

async function syncNow() {
  agent.rum.flush();
  const { status, json } = await agent.post("sync.now", {});
  expect(status).toBe(200);
  return json.result.data as { delivered: { central: number }; pending: number; message: string };
}

describe("RUM samples through an outage, agent → central over HTTP", () => {
  it("recorded offline, delivered after reconnection with their original timestamps", async () => {
    await syncNow(); // online first: whatever start-up recorded is delivered
    await central.fault({ mode: "drop" });

    // The outage: a sale, the POS's own vitals and a mark, all measured while nothing gets through.
    clock.t = T0 + MINUTE;
    const saleAt = new Date(clock.t).toISOString();
    expect((await agent.post("receipts.create", saleInput("rum-offline-1"))).status).toBe(200);
    const report = await agent.post("rum.report", {
      vitals: [{ name: "LCP", value: 1850, rating: "good", id: "v5-lcp-1", navigationType: "navigate" }],
      marks: [{ name: "scan_to_line", valueMs: 140, at: new Date(T0 + MINUTE - 5_000).toISOString() }],
    });
    expect(report).toMatchObject({ status: 200, json: { result: { data: { recorded: 2 } } } });
    const offlineFrom = clock.t;
    expect((await syncNow()).delivered.central).toBe(0);
    clock.t += 5 * MINUTE;
    expect((await syncNow()).delivered.central).toBe(0);
    const pendingRum = agent.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'rum'").get() as {
      n: number;
    };
    expect(pendingRum.n).toBeGreaterThan(0);

    // Back: the outbox drains, the offline period ends and is reported with its start.
    await central.fault({ mode: "none" });
    clock.t += 5 * MINUTE;
    const reconnectedAt = clock.t;
    expect((await syncNow()).delivered.central).toBeGreaterThan(0);
    await syncNow(); // the samples the reconnection itself produced (offline period, batch, breaker)
    expect(agent.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'rum'").get()).toEqual({ n: 0 });

    const samples = await central.rum(terminalId);
    const find = (metric: string) => samples.filter((s) => s.metric === metric);
    for (const phase of ["validate", "commit", "print"]) {
      expect(find(`receipt.accept.${phase}`)).toContainEqual(
        expect.objectContaining({
          unit: "ms",
          at: saleAt,
          labels: expect.objectContaining({ kind: "sale" }),
        }),
      );
    }
    expect(find("web_vital.LCP")).toEqual([
      {
        metric: "web_vital.LCP",
        value: 1850,
        unit: "ms",
        at: saleAt,
        labels: { rating: "good", navigation_type: "navigate" },
      },
    ]);
    expect(find("mark.scan_to_line")).toEqual([
      expect.objectContaining({ value: 140, at: new Date(T0 + MINUTE - 5_000).toISOString() }),
    ]);
    expect(find("printer.duration").length).toBeGreaterThan(0);
    expect(find("serial.round_trip")).toContainEqual(
      expect.objectContaining({ labels: expect.objectContaining({ command: "0xFF46" }) }),
    );
    // The outage as one period: from the first round that failed to the first that got through.
    expect(find("sync.offline")).toEqual([
      {
        metric: "sync.offline",
        value: reconnectedAt - offlineFrom,
        unit: "ms",
        at: new Date(offlineFrom).toISOString(),
        labels: { destination: "central" },
      },
    ]);
    const transitions = find("breaker.transition").map((s) => `${s.labels.from}→${s.labels.to}`);
    expect(transitions).toEqual(expect.arrayContaining(["closed→open", "half_open→closed"]));
    const batches = find("sync.batch.items");
    expect(batches.length).toBeGreaterThan(0);
    expect(find("sync.batch.bytes")[0]).toMatchObject({ unit: "bytes", labels: { destination: "central" } });
    expect(find("sync.batch.duration")[0]).toMatchObject({ unit: "ms", labels: { destination: "central" } });
    expect(find("device.event")).toContainEqual(expect.objectContaining({ labels: { event: "connected" } }));
  }, 60_000);
});

describe("rum.report over HTTP", () => {
  it("refuses bad input with a typed 400 naming the field, and records nothing", async () => {
    agent.rum.flush();
    const before = agent.rum.queued;
    const bad = await agent.post("rum.report", {
      vitals: [{ name: "LCP", value: -3, rating: "good", id: "v5-x" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.data).toMatchObject({
      kassaCode: "VALIDATION_FAILED",
      fieldErrors: { "vitals.0.value": [expect.any(String)] },
    });
    const tooMany = await agent.post("rum.report", {
      marks: Array.from({ length: 101 }, () => ({ name: "scan_to_line", valueMs: 1 })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.data.kassaCode).toBe("VALIDATION_FAILED");
    const future = await agent.post("rum.report", {
      marks: [{ name: "scan_to_line", valueMs: 1, at: new Date(clock.t + 3_600_000).toISOString() }],
    });
    expect(future.status).toBe(400);
    expect(future.json.error.data.fieldErrors).toEqual({
      "marks.0.at": ["is more than 5 minutes ahead of the till's clock"],
    });
    expect(agent.rum.queued).toBe(before);
    expect((await agent.post("rum.report", {}, null)).status).toBe(401);
  });
});

describe("/metrics", () => {
  it("has every series the agent promises", async () => {
    await agent.get("status"); // reads the register's OFD backlog
    const text = await (await fetch(`${agent.url}/metrics`)).text();
    for (const series of [
      "kassa_buffer_fill_ratio ",
      "kassa_buffer_pending ",
      'kassa_sync_breaker_state{destination="central",state="closed"} 1',
      'kassa_sync_breaker_state{destination="central",state="open"} 0',
      'kassa_sync_breaker_state{destination="ofd",state="closed"} 1',
      "kassa_sync_round_seconds_bucket{",
      'kassa_sync_batch_seconds_count{destination="central"}',
      'kassa_sync_items_sent_total{destination="central"}',
      'kassa_sync_bytes_sent_total{destination="central"}',
      "kassa_dlq_items 0",
      "kassa_fn_unsent_documents ",
      "kassa_fn_oldest_unsent_age_seconds ",
      "kassa_rum_samples_buffered ",
    ]) {
      expect(text).toContain(series);
    }
  });
});
