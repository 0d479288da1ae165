import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { replaceCashiers } from "../src/auth/cashiers.ts";
import { hashPin } from "../src/auth/pin.ts";
import { DataDirLockedError, lockDataDir, lockPath } from "../src/db/buffer-lock.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Review findings on the agent's security work (issue 8, item 5), each a way to break it.

const LOCKOUT_MS = 15 * 60_000;
const PIN = "2468";
let agent: TestAgent | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeClock() {
  let t = Date.parse("2026-11-22T08:00:00Z");
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const login = (pin: string) => agent!.post("auth.login", { login: "ivanova", pin });

describe("PIN lockout never locks the right PIN forever", { timeout: 60_000 }, () => {
  it("attempts counted before a verification that never finished (the agent was killed) do not lock the cashier forever", async () => {
    const clock = fakeClock();
    agent = await startTestAgent({ deps: { now: clock.now }, tuning: { lockoutMs: LOCKOUT_MS } });
    replaceCashiers(agent.db, [
      { id: "u1", login: "ivanova", name: "Ivanova A.", pinHash: await hashPin(PIN) },
    ]);
    // Five attempts were counted, then the process died before any of their scrypts answered.
    agent.db.prepare("UPDATE cashiers SET failed_attempts = 5 WHERE id = 'u1'").run();
    agent = await agent.restart();

    // Nothing is being checked any more: the five count as wrong and start an ordinary lockout.
    const first = await login(PIN);
    expect(first.status).toBe(429);
    expect(first.json.error.data.kassaCode).toBe("USER_LOCKED");
    expect(first.json.error.data.retryAfterSeconds).toBe(LOCKOUT_MS / 1000);
    clock.advance(LOCKOUT_MS + 1);
    expect((await login(PIN)).status).toBe(200);
  });

  it("attempts whose stored hash could not be checked are no guesses: once the PIN is set again the cashier signs in", async () => {
    agent = await startTestAgent({ tuning: { lockoutMs: LOCKOUT_MS } });
    const salt = Buffer.alloc(16).toString("base64");
    const refused = `scrypt$2$1$1$${salt}$${salt}`;
    replaceCashiers(agent.db, [{ id: "u1", login: "ivanova", name: "Ivanova A.", pinHash: refused }]);
    for (let i = 0; i < 6; i++) {
      const answer = await login(PIN);
      expect(answer.status).toBe(401);
      expect(answer.json.error.data.fieldErrors).toEqual({ pin: ["the stored PIN hash is refused"] });
    }
    // The manager sets the PIN again (as the message asks) and it syncs to the till.
    replaceCashiers(agent.db, [
      { id: "u1", login: "ivanova", name: "Ivanova A.", pinHash: await hashPin(PIN) },
    ]);
    expect((await login(PIN)).status).toBe(200);
  });
});

describe("one agent per data directory", () => {
  it("a refused second lock in the same process does not release the first one's lock", () => {
    const dir = mkdtempSync(join(tmpdir(), "kassa-lock-"));
    dirs.push(dir);
    const held = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      // Another process must still be refused: POSIX drops every lock a process holds on a file
      // when it closes any descriptor of that file.
      const other = spawnSync(
        process.execPath,
        [
          "-e",
          `const db = new (require("better-sqlite3"))(${JSON.stringify(lockPath(dir))});
           db.pragma("busy_timeout = 0");
           try { db.exec("BEGIN EXCLUSIVE"); console.log("locked"); } catch (e) { console.log(e.code); }`,
        ],
        { cwd: join(import.meta.dirname, ".."), encoding: "utf8" },
      );
      expect(other.stderr).toBe("");
      expect(other.stdout.trim()).toBe("SQLITE_BUSY");
    } finally {
      held.release();
    }
  });
});

describe("file modes", () => {
  it("the emulated register's state file (its FN: every document printed) is the agent user's only", async () => {
    agent = await startTestAgent();
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    expect((await agent.post("receipts.create", saleInput("mode-1"))).status).toBe(200);
    await agent.close();
    const state = join(agent.dataDir, "kkt-emulator.json");
    expect(statSync(state).mode & 0o777).toBe(0o600);
  });
});
