import { afterEach, describe, expect, it } from "vitest";
import { createSyncWorker } from "./index.ts";
import { openTestBuffer } from "./test-support.ts";

// A till whose key an owner rotated (or whose till was retired) is told so by the central server
// with its own kassaCode; the worker says it in one log line and in `status` until a push succeeds.

/** The central server's tRPC error answer (superjson envelope) for a refused key. */
function refusal(kassaCode: string, status: number, message: string): Response {
  const code = status === 401 ? "UNAUTHORIZED" : "FORBIDDEN";
  const body = {
    error: {
      json: {
        message,
        code: status === 401 ? -32001 : -32003,
        data: { code, httpStatus: status, kassaCode },
      },
    },
  };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

const ok = () =>
  new Response(
    JSON.stringify({
      result: {
        data: {
          json: {
            results: [],
            commands: [],
            lease: { token: "1", expiresAtMs: 0 },
            serverTimeMs: Date.UTC(2026, 11, 1),
          },
        },
      },
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );

const buffers: { dispose(): void }[] = [];
const workers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  // networkBack() schedules a round of its own: stopped before its buffer closes.
  for (const w of workers.splice(0)) await w.stop();
  for (const b of buffers.splice(0)) b.dispose();
});

describe("a refused terminal key", () => {
  it("a rotated key: one clear log line however many rounds fail, in status, cleared once the new key syncs", async () => {
    const buffer = await openTestBuffer();
    buffers.push(buffer);
    const lines: string[] = [];
    let answer = () =>
      refusal(
        "TERMINAL_KEY_ROTATED",
        401,
        "Terminal t's key was rotated in the dashboard at 2026-12-01T09:00:00.000Z",
      );
    let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: "t",
      centralUrl: "http://127.0.0.1:9",
      terminalKey: "t.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      fetch: async () => answer(),
      schedule: false,
      watchMs: 0,
      now: () => clock,
      breaker: { failureThreshold: 100 },
      log: (line) => lines.push(line),
    });
    workers.push(worker);
    for (let i = 0; i < 3; i++) {
      worker.networkBack();
      await worker.now();
      clock += 60_000;
    }
    const rotatedLines = lines.filter((l) => l.includes("key was rotated in the dashboard"));
    expect(rotatedLines.filter((l) => l.startsWith("This till's central key was rotated"))).toHaveLength(1);
    expect(worker.status().centralKey).toMatchObject({
      problem: "rotated",
      since: new Date(Date.UTC(2026, 11, 1, 9, 0, 0)).toISOString(),
    });
    expect(worker.status().centralKey?.message).toContain("Set the new key (KASSA_TERMINAL_KEY)");

    answer = ok;
    worker.networkBack();
    await worker.now();
    expect(worker.status().centralKey).toBeNull();
  });

  it("a retired till and a plain wrong key are told apart", async () => {
    const buffer = await openTestBuffer();
    buffers.push(buffer);
    let answer = () => refusal("TERMINAL_RETIRED", 403, "Terminal t is retired");
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: "t",
      centralUrl: "http://127.0.0.1:9",
      terminalKey: "t.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      fetch: async () => answer(),
      schedule: false,
      watchMs: 0,
      breaker: { failureThreshold: 100 },
    });
    workers.push(worker);
    await worker.now();
    expect(worker.status().centralKey?.problem).toBe("retired");
    answer = () => refusal("UNAUTHORIZED", 401, "The terminal key is not valid.");
    worker.networkBack();
    await worker.now();
    expect(worker.status().centralKey?.problem).toBe("refused");
  });
});
