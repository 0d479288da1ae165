import { afterEach, describe, expect, it, vi } from "vitest";
import { findDocument, fnStatus } from "../shtrih/commands/fn.ts";
import { closeReceipt, operation, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { ACK, ENQ, encodeFrame, NAK } from "../shtrih/frame.ts";
import { ADMIN, item, openShiftOn, payment, receiptTag, setup } from "./test-fixtures.ts";

async function openReceipt(line: Parameters<typeof openShiftOn>[0], id: string) {
  await line.ok(operation, item());
  await line.ok(writeReceiptTlv, receiptTag(id));
}

const closeFrame = () => encodeFrame(closeReceipt.code, closeReceipt.encodeRequest(payment(10_000)));

afterEach(() => {
  vi.useRealTimers();
});

describe("power loss", () => {
  it("after executing FF45 but before answering: the answer is lost, the document is kept", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await openReceipt(line, "pl-1");
    emulator.faults.inject({ kind: "power-loss", command: closeReceipt.code, stage: "after-execute" });
    line.write(closeFrame());
    expect(await line.drain()).toEqual([ACK]);
    // While the power is off the line is silent.
    line.write([ENQ]);
    expect(await line.drain()).toEqual([]);
    emulator.powerOn();
    // The pending answer did not survive: the host must ask the FN what happened.
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]);
    const fn = await line.ok(fnStatus, { password: ADMIN });
    expect(fn.lastFdNumber).toBe(3);
    const doc = await line.ok(findDocument, { password: ADMIN, fdNumber: 3 });
    expect(doc).toMatchObject({ documentType: 3, details: { kind: "receipt", total: 10_000 } });
    expect(emulator.countReceiptsByTag("pl-1")).toBe(1);
    expect(emulator.faults.fired).toMatchObject([{ kind: "power-loss", stage: "after-execute" }]);
  });

  it("mid-answer: half an answer frame, then silence; after power-on nothing is pending", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await openReceipt(line, "pl-2");
    emulator.faults.inject({ kind: "power-loss", command: closeReceipt.code, stage: "mid-answer" });
    line.write(closeFrame());
    const got = await line.drain();
    expect(got[0]).toBe(ACK);
    expect(got.length).toBeGreaterThan(2);
    expect(got.length).toBeLessThan(1 + 19); // ACK + a full FF45 answer frame
    emulator.powerOn();
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]);
    expect(emulator.countReceiptsByTag("pl-2")).toBe(1);
  });

  it("before executing: no ACK, no document, and the open receipt is annulled", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await openReceipt(line, "pl-3");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    emulator.faults.inject({
      kind: "power-loss",
      command: closeReceipt.code,
      stage: "before-execute",
      restoreAfterMs: 2000,
    });
    line.write(closeFrame());
    expect(await line.drain()).toEqual([]);
    expect(emulator.powered).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(emulator.powered).toBe(true);
    vi.useRealTimers();
    expect(emulator.countReceiptsByTag("pl-3")).toBe(0);
    expect(await line.ok(shortStatus, { password: ADMIN })).toMatchObject({ mode: 2 });
    expect(emulator.fn.lastFdNumber).toBe(2);
  });

  it("keeps documents, shift and counters across a power cycle", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await openReceipt(line, "pl-4");
    await line.ok(closeReceipt, payment(10_000));
    emulator.powerCycle();
    expect(emulator.status()).toMatchObject({ shiftOpen: true, lastFdNumber: 3, pendingAnswer: false });
    expect(emulator.countReceiptsByTag("pl-4")).toBe(1);
  });
});
