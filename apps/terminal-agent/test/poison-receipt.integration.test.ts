import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { FakeClock, KktEmulator } from "@kassa/fiscal/emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { documentsFor, emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent, TOKEN } from "./helpers.ts";

// Poison isolation (issue 8, item 2) through the real agent, driver and emulator: a receipt the
// register refuses for its content leaves the queue as needs_attention and never stops the sales
// behind it; support voids it from the API or the CLI; the void is an outbox row, never a document.

const FF46_OPERATION = 0xff46;
const ERR_BAD_PARAMETERS = 0x33;

let emulator: KktEmulator;
let agent: TestAgent;

beforeEach(async () => {
  const clock = new FakeClock(Date.now());
  emulator = new KktEmulator({ clock });
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator), now: () => clock.now().getTime() },
    tuning: { devicePollMs: 20 },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(() => agent.destroy());

type Answer = {
  receiptId: string;
  status: string;
  seq: number;
  fiscal?: { fdNumber: number };
  attentionReason?: { kassaCode: string; message: string };
  waitingReason?: unknown;
};

async function sell(key: string): Promise<Answer> {
  const { status, json } = await agent.post("receipts.create", saleInput(key));
  expect(status).toBe(200);
  return json.result.data as Answer;
}

/** One sale the register refuses with error 0x33 (its data), before anything is printed. */
async function sellRefused(key: string): Promise<Answer> {
  emulator.faults.inject({ kind: "refuse", command: FF46_OPERATION, code: ERR_BAD_PARAMETERS });
  return sell(key);
}

const outboxKinds = (receiptId: string) =>
  (
    agent.db.prepare("SELECT kind FROM outbox WHERE item_id = ? ORDER BY hlc").all(receiptId) as {
      kind: string;
    }[]
  ).map((r) => r.kind);

describe("a receipt the register refuses for its content", () => {
  it("is set aside with the register's reason, and 50 sales behind it all print at once, in order", async () => {
    const first = await sell("poison-0");
    expect(first.status).toBe("fiscalized");

    // The refused sale and 50 more arrive together: none of them may wait for the bad one.
    emulator.faults.inject({ kind: "refuse", command: FF46_OPERATION, code: ERR_BAD_PARAMETERS });
    const answers = await Promise.all([
      sell("poison-bad"),
      ...Array.from({ length: 50 }, (_, i) => sell(`poison-${i + 1}`)),
    ]);
    const bad = answers[0]!;
    const sales = answers.slice(1);
    expect(bad.status).toBe("needs_attention");
    expect(bad.attentionReason?.kassaCode).toBe("BAD_PARAMETERS");
    expect(bad.attentionReason?.message).toMatch(/refused this receipt: Bad parameters in the command/);
    expect(bad.fiscal).toBeUndefined();
    expect(bad.waitingReason).toBeUndefined();

    // Every ordinary sale printed before its answer, once, in acceptance order.
    for (const sale of sales) {
      expect(sale.status).toBe("fiscalized");
      expect(documentsFor(emulator, sale.receiptId)).toBe(1);
    }
    const bySeq = [first, ...sales].sort((a, b) => a.seq - b.seq);
    const fds = bySeq.map((s) => s.fiscal!.fdNumber);
    expect(fds).toEqual([...fds].sort((a, b) => a - b));
    expect(new Set(fds).size).toBe(51);
    expect(documentsFor(emulator, bad.receiptId)).toBe(0);

    const status = (await agent.get("status")).json.result.data;
    expect(status.receipts).toEqual({ waitingForDevice: 0, needsAttention: 1 });
    expect(status.device.waitingReason).toBeNull();
    expect(status.warnings.join(" ")).toMatch(/1 receipt was refused by the fiscal register/);

    const stored = (await agent.get("receipts.get", { receiptId: bad.receiptId })).json.result.data;
    expect(stored).toMatchObject({
      status: "needs_attention",
      attentionReason: { kassaCode: "BAD_PARAMETERS" },
    });
    const listed = (await agent.get("receipts.list", { status: "needs_attention" })).json.result.data;
    expect(listed.items.map((r: { receiptId: string }) => r.receiptId)).toEqual([bad.receiptId]);
    // The central server hears of it through the outbox, in the same transaction as the status.
    expect(outboxKinds(bad.receiptId)).toEqual(["receipt", "receipt_attention"]);

    // An idempotent retry of the refused sale gets the same answer, and nothing prints.
    const again = await sell("poison-bad");
    expect(again).toMatchObject({ receiptId: bad.receiptId, status: "needs_attention" });
    expect(documentsFor(emulator, bad.receiptId)).toBe(0);
  });

  it("support voids it through the API: only a receipt needing attention, no document, outbox row, kept after a restart", async () => {
    const printed = await sell("void-printed");
    const bad = await sellRefused("void-bad");
    expect(bad.status).toBe("needs_attention");

    const notVoidable = await agent.post("receipts.void", { receiptId: printed.receiptId, reason: "typo" });
    expect(notVoidable.status).toBe(409);
    expect(notVoidable.json.error.data.kassaCode).toBe("RECEIPT_NOT_VOIDABLE");
    const unknown = await agent.post("receipts.void", { receiptId: "01NOPE", reason: "typo" });
    expect(unknown.status).toBe(404);
    const noReason = await agent.post("receipts.void", { receiptId: bad.receiptId, reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.data.fieldErrors).toHaveProperty("reason");
    // A refused call changed nothing.
    expect(outboxKinds(printed.receiptId)).not.toContain("receipt_voided");

    const voided = await agent.post("receipts.void", {
      receiptId: bad.receiptId,
      reason: "customer paid again under a new sale",
      by: "support:petrov",
    });
    expect(voided.status).toBe(200);
    expect(voided.json.result.data).toMatchObject({
      status: "voided",
      attentionReason: { kassaCode: "BAD_PARAMETERS" },
      voided: { by: "support:petrov", reason: "customer paid again under a new sale" },
    });
    expect(outboxKinds(bad.receiptId)).toEqual(["receipt", "receipt_attention", "receipt_voided"]);
    const twice = await agent.post("receipts.void", { receiptId: bad.receiptId, reason: "again" });
    expect(twice.status).toBe(409);

    const status = (await agent.get("status")).json.result.data;
    expect(status.receipts.needsAttention).toBe(0);

    // A restart never takes a set-aside or voided receipt up again.
    agent = await agent.restart();
    await sell("void-after-restart");
    expect(documentsFor(emulator, bad.receiptId)).toBe(0);
    const after = (await agent.get("receipts.get", { receiptId: bad.receiptId })).json.result.data;
    expect(after.status).toBe("voided");
  });

  it("support lists and voids it with the CLI", async () => {
    const bad = await sellRefused("cli-bad");
    const run = promisify(execFile);
    const bin = join(import.meta.dirname, "..", "bin", "kassa-agent.js");
    const env = { PATH: process.env.PATH ?? "", KASSA_PORT: String(agent.port), KASSA_API_TOKEN: TOKEN };
    const listed = await run(process.execPath, [bin, "receipts", "attention"], { env, timeout: 30_000 });
    expect(JSON.parse(listed.stdout).items).toMatchObject([
      { receiptId: bad.receiptId, attentionReason: { kassaCode: "BAD_PARAMETERS" } },
    ]);
    const voided = await run(
      process.execPath,
      [
        bin,
        "receipts",
        "void",
        bad.receiptId,
        "--reason",
        "refused by the register; sold again",
        "--by",
        "ivanov",
      ],
      { env, timeout: 30_000 },
    );
    expect(JSON.parse(voided.stdout)).toMatchObject({ status: "voided", voided: { by: "ivanov" } });
    const refused = await run(
      process.execPath,
      [bin, "receipts", "void", bad.receiptId, "--reason", "again"],
      {
        env,
        timeout: 30_000,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^kassa-agent: RECEIPT_NOT_VOIDABLE/),
    });
  });

  it("an uncertain outcome is no content refusal: recovered, never set aside", async () => {
    emulator.faults.inject({
      kind: "power-loss",
      command: 0xff45,
      stage: "after-execute",
      restoreAfterMs: 50,
    });
    const lost = await sell("uncertain");
    // The driver may heal it itself (power back within its recovery) or leave it waiting: never set aside.
    expect(["fiscalized", "waiting_for_device"]).toContain(lost.status);
    await vi.waitFor(
      async () => {
        const { json } = await agent.get("receipts.get", { receiptId: lost.receiptId });
        expect(json.result.data.status).toBe("fiscalized");
      },
      { timeout: 8_000, interval: 20 },
    );
    expect(documentsFor(emulator, lost.receiptId)).toBe(1);
  });
});
