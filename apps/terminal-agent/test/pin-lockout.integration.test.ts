import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replaceCashiers } from "../src/auth/cashiers.ts";
import { hashPin, verifyPin } from "../src/auth/pin.ts";
import { startTestAgent, type TestAgent } from "./helpers.ts";

// The PIN lockout under parallel attempts, over real HTTP against a real agent. verifyPin is the
// real scrypt check, wrapped only to count how many guesses were actually checked.
vi.mock("../src/auth/pin.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/auth/pin.ts")>();
  return { ...actual, verifyPin: vi.fn(actual.verifyPin) };
});

const LOCKOUT_MS = 15 * 60_000;
const PIN = "2468";
let agent: TestAgent | undefined;
let clock: { now: () => number; advance: (ms: number) => void };
let pinHash: string;

beforeEach(async () => {
  let t = Date.parse("2026-11-22T08:00:00Z");
  clock = { now: () => t, advance: (ms) => (t += ms) };
  agent = await startTestAgent({ deps: { now: clock.now }, tuning: { lockoutMs: LOCKOUT_MS } });
  pinHash ??= await hashPin(PIN);
  replaceCashiers(agent.db, [{ id: "u1", login: "ivanova", name: "Ivanova A.", pinHash }]);
  vi.mocked(verifyPin).mockClear();
});
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

const login = (pin: string) => agent!.post("auth.login", { login: "ivanova", pin });
const failedAttempts = () =>
  (agent!.db.prepare("SELECT failed_attempts AS n FROM cashiers WHERE id = 'u1'").get() as { n: number }).n;

// Each check is a production-strength scrypt (N=2^17, ~0.5-1 s on a busy CI machine).
describe("PIN lockout", { timeout: 60_000 }, () => {
  it("300 parallel wrong PINs get at most 5 guesses checked; the rest are refused with USER_LOCKED", async () => {
    const wrongPins = Array.from({ length: 300 }, (_, i) => String(1000 + i)); // never 2468
    const answers = await Promise.all(wrongPins.map(login));

    expect(vi.mocked(verifyPin).mock.calls.length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 200)).toEqual([]);
    const wrong = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(wrong.length).toBeLessThanOrEqual(4);
    expect(wrong.length + refused.length).toBe(300);
    for (const a of refused) expect(a.json.error.data.kassaCode).toBe("USER_LOCKED");

    // Locked now: even the right PIN is refused without being checked.
    const checked = vi.mocked(verifyPin).mock.calls.length;
    const locked = await login(PIN);
    expect(locked.status).toBe(429);
    expect(locked.json.error.data.kassaCode).toBe("USER_LOCKED");
    expect(locked.json.error.data.retryAfterSeconds).toBe(LOCKOUT_MS / 1000);
    expect(vi.mocked(verifyPin).mock.calls.length).toBe(checked);

    clock.advance(LOCKOUT_MS + 1);
    const ok = await login(PIN);
    expect(ok.status).toBe(200);
    expect(ok.json.result.data.cashier).toMatchObject({ id: "u1" });
    expect(failedAttempts()).toBe(0);
  });

  it("the right PIN signs in when not locked and resets the count of wrong ones", async () => {
    for (let i = 0; i < 4; i++) expect((await login("0000")).status).toBe(401);
    expect(failedAttempts()).toBe(4);
    expect((await login(PIN)).status).toBe(200);
    expect(failedAttempts()).toBe(0);
    // The next wrong PIN is the first again, not the fifth: no lockout.
    expect((await login("0000")).status).toBe(401);
    expect(failedAttempts()).toBe(1);
  });

  it("a cached PIN hash with out-of-bounds scrypt parameters is a typed refusal, never a sign-in", async () => {
    const salt = Buffer.alloc(16).toString("base64");
    replaceCashiers(agent!.db, [
      { id: "u1", login: "ivanova", name: "Ivanova A.", pinHash: `scrypt$2$1$1$${salt}$${salt}` },
    ]);
    const answer = await login(PIN);
    expect(answer.status).toBe(401);
    expect(answer.json.error.data.kassaCode).toBe("UNAUTHORIZED");
    expect(answer.json.error.data.fieldErrors).toEqual({ pin: ["the stored PIN hash is refused"] });
    expect(answer.json.error.message).toMatch(/set the PIN again/);
  });
});
