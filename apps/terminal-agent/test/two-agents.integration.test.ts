import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZCreateReceiptInput } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { bufferPath } from "../src/db/buffer.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent, TOKEN } from "./helpers.ts";

// Issue 8, item 4: two agent processes on one buffer get a typed error, never an untyped 500 from
// the `seq` unique index. The second process is refused at start-up (the data-directory lock); a
// write another writer still gets in the way of is a retry-safe 503 BUFFER_CONFLICT.

const bin = join(import.meta.dirname, "..", "bin", "kassa-agent.js");
const dirs: string[] = [];
const children: ChildProcess[] = [];
let agent: TestAgent | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  }
  await agent?.destroy();
  agent = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface AgentProcess {
  child: ChildProcess;
  port: number;
  stderr: () => string;
}

/** `kassa-agent start` as a till runs it, a real process, from the sources. */
async function spawnAgent(dataDir: string): Promise<AgentProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, "start", "--log-level", "error"], {
    env: {
      PATH: process.env.PATH,
      KASSA_AGENT_FROM_SOURCE: "1",
      KASSA_TERMINAL_ID: "till-1",
      KASSA_API_TOKEN: TOKEN,
      KASSA_KKT_EMULATOR: "1",
      KASSA_DATA_DIR: dataDir,
      KASSA_PORT: String(port),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, port, stderr: () => stderr };
}

async function call(port: number, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

/** Polls /healthz until the process serves; false if it exits first. */
async function ready(a: AgentProcess): Promise<boolean> {
  const exited = once(a.child, "exit").then(() => false);
  const serving = (async () => {
    for (;;) {
      if (a.child.exitCode !== null || a.child.signalCode !== null) return false;
      try {
        if ((await fetch(`http://127.0.0.1:${a.port}/healthz`)).status === 200) return true;
      } catch {}
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return Promise.race([exited, serving]);
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kassa-two-agents-"));
  dirs.push(dir);
  return dir;
}

describe("two agent processes on one data directory", () => {
  it("the second stops at start-up with one clear line; after kill -9 of the first it starts at once", async () => {
    const dataDir = join(tempDir(), "agent");
    const first = await spawnAgent(dataDir);
    expect(await ready(first)).toBe(true);
    expect((await call(first.port, "trpc/shift.open", { cashier: CASHIER })).status).toBe(200);

    const second = await spawnAgent(dataDir);
    const [code] = (await once(second.child, "exit")) as [number];
    expect(code).toBe(1);
    expect(second.stderr().trim().split("\n")).toEqual([
      `kassa-agent: another kassa agent is already running on the data directory ${dataDir} (it holds ${join(dataDir, "agent.lock")}): stop it first, or give this one its own --data-dir`,
    ]);
    await expect(fetch(`http://127.0.0.1:${second.port}/healthz`)).rejects.toThrow();

    // The first never noticed: it still sells, numbering on from its own sequence.
    const sale = await call(first.port, "trpc/receipts.create", saleInput("first-1"));
    expect(sale.status).toBe(200);
    expect(sale.json.result.data.seq).toBe(1);

    // The operating system drops the lock with the process: no stale lock after a crash.
    first.child.kill("SIGKILL");
    await once(first.child, "exit");
    const third = await spawnAgent(dataDir);
    expect(await ready(third)).toBe(true);
    const next = await call(third.port, "trpc/receipts.create", saleInput("third-1"));
    expect(next.status).toBe(200);
    expect(next.json.result.data.seq).toBe(2);
  }, 60_000);
});

describe("a write another writer on the buffer got in the way of", () => {
  /** What a second agent process (one without the lock) does: number a receipt with the next seq. */
  function takeSeq(dataDir: string, seq: number): void {
    const other = new Database(bufferPath(dataDir));
    const now = new Date().toISOString();
    other
      .prepare(
        `INSERT INTO receipts (id, seq, idempotency_key, body_hash, hlc, kind, status, body, total, change,
           accepted_at, updated_at)
         VALUES (?, ?, ?, 'h', '0000000000001.00000', 'sale', 'accepted', '{}', 0, 0, ?, ?)`,
      )
      .run(`other-${seq}`, seq, `other-key-${seq}`, now, now);
    other.close();
  }

  const tables = (a: TestAgent) => ({ receipts: a.count("receipts"), outbox: a.count("outbox") });

  it("a seq another process took: 503 BUFFER_CONFLICT, nothing written, and the retry succeeds", async () => {
    agent = await startTestAgent();
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    takeSeq(agent.dataDir, 1);
    const before = tables(agent);

    const refused = await agent.post("receipts.create", saleInput("pos-1"));
    expect(refused.status).toBe(503);
    expect(refused.json.error.data.kassaCode).toBe("BUFFER_CONFLICT");
    expect(refused.json.error.data.retryAfterSeconds).toBe(1);
    expect(refused.json.error.message).toMatch(/Another kassa agent process/);
    expect(tables(agent)).toEqual(before);

    const retried = await agent.post("receipts.create", saleInput("pos-1"));
    expect(retried.status).toBe(200);
    expect(retried.json.result.data.seq).toBe(2);
    expect(retried.json.result.data.status).toBe("fiscalized");
  });

  it("on the commit thread too: only the receipt whose seq was taken is refused, its neighbours print", async () => {
    agent = await startTestAgent();
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    takeSeq(agent.dataDir, 3);
    // Accepted in one tick, so they share one commit on the thread (seq 1..5).
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        agent!.services.receipts.create(ZCreateReceiptInput.parse(saleInput(`burst-${n}`))),
      ),
    );
    const refused = results[2]!;
    expect(refused.status).toBe("rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect((refused as PromiseRejectedResult).reason.kassaCode).toBe("BUFFER_CONFLICT");
    for (const i of [0, 1, 3, 4]) {
      expect(results[i]!.status).toBe("fulfilled");
      expect((results[i] as PromiseFulfilledResult<{ status: string }>).value.status).toBe("fiscalized");
    }
    expect(
      agent.db.prepare("SELECT count(*) AS n FROM receipts WHERE idempotency_key = 'burst-3'").get(),
    ).toEqual({
      n: 0,
    });
  });

  it("the buffer's write lock held by another process past busy_timeout: 503 BUFFER_CONFLICT, not 500", async () => {
    agent = await startTestAgent({ deps: { commitThread: false } });
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    const other = new Database(bufferPath(agent.dataDir));
    other.exec("BEGIN IMMEDIATE");
    try {
      const refused = await agent.post("receipts.create", saleInput("busy-1"));
      expect(refused.status).toBe(503);
      expect(refused.json.error.data.kassaCode).toBe("BUFFER_CONFLICT");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(agent.count("receipts")).toBe(0);
    expect((await agent.post("receipts.create", saleInput("busy-1"))).status).toBe(200);
    // busy_timeout (5 s) runs out twice: the batch, then the row on its own.
  }, 30_000);
});
