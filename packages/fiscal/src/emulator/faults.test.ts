import { afterEach, describe, expect, it, vi } from "vitest";
import { closeReceipt, operation, printString } from "../shtrih/commands/receipt.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { ACK, ENQ, encodeFrame, NAK } from "../shtrih/frame.ts";
import { FaultPlan } from "./fault-plan.ts";
import { ADMIN, CASHIER, item, openShiftOn, payment, setup } from "./test-fixtures.ts";
import { TestLine } from "./test-line.ts";

const printFrame = () =>
  encodeFrame(printString.code, printString.encodeRequest({ password: CASHIER, flags: 2, text: "x" }));

afterEach(() => {
  vi.useRealTimers();
});

describe("fault injection on the line", () => {
  it("nak: the device rejects a good frame and does not execute it; the resent frame runs once", async () => {
    const { line, emulator } = setup();
    emulator.faults.inject({ kind: "nak", command: printString.code, times: 2 });
    line.write(printFrame());
    expect(await line.drain()).toEqual([NAK]);
    line.write(printFrame());
    expect(await line.drain()).toEqual([NAK]);
    expect(emulator.device.printer.linesPrinted).toBe(0);
    await line.ok(printString, { password: CASHIER, flags: 2, text: "x" });
    expect(emulator.device.printer.linesPrinted).toBe(1);
  });

  it("bad-lrc: the command runs once, the answer arrives corrupted, ENQ gets the good copy", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.faults.inject({ kind: "bad-lrc", command: operation.code });
    line.write(encodeFrame(operation.code, operation.encodeRequest(item())));
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toMatchObject({ command: operation.code, lrcOk: false });
    line.write([NAK, ENQ]);
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toMatchObject({ command: operation.code, error: 0, lrcOk: true });
    expect(emulator.device.receipt?.items).toHaveLength(1);
  });

  it("silence before execute swallows the frame; silence after execute holds the answer for ENQ", async () => {
    const { line, emulator } = setup();
    emulator.faults.inject({ kind: "silence", command: printString.code });
    line.write(printFrame());
    expect(await line.drain()).toEqual([]);
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]); // nothing ran, nothing pending: safe to resend
    expect(emulator.device.printer.linesPrinted).toBe(0);

    emulator.faults.inject({ kind: "silence", command: printString.code, stage: "after-execute" });
    line.write(printFrame());
    expect(await line.drain()).toEqual([ACK]);
    expect(emulator.device.printer.linesPrinted).toBe(1);
    line.write([ENQ]);
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toMatchObject({ command: printString.code, error: 0 });
  });

  it("garbage: junk bytes precede the normal reply", async () => {
    const { line, emulator } = setup();
    emulator.faults.inject({ kind: "garbage", bytes: [0xaa, 0xbb] });
    line.write(encodeFrame(shortStatus.code, shortStatus.encodeRequest({ password: ADMIN })));
    const got = await line.drain();
    expect(got.slice(0, 3)).toEqual([0xaa, 0xbb, ACK]);
  });

  it("slow: ACK now, ENQ gets a bare ACK while the command runs, the answer follows when ready", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { line, emulator } = setup();
    emulator.faults.inject({ kind: "slow", command: printString.code, delayMs: 5000 });
    line.write(printFrame());
    expect(await line.drain()).toEqual([ACK]);
    line.write([ENQ]);
    expect(await line.drain()).toEqual([ACK]);
    vi.advanceTimersByTime(5000);
    expect(await line.readFrame()).toMatchObject({ command: printString.code, error: 0 });
    line.write([ENQ]); // not ACKed yet: still pending
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toMatchObject({ command: printString.code });
    expect(emulator.device.printer.linesPrinted).toBe(1);
  });

  it("executionMs: a slow shift opening, lost entirely if the power goes before it is ready", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { line, emulator } = setup({ executionMs: { 224: 20_000 } });
    line.write(encodeFrame(0xe0, Uint8Array.of(ADMIN, 0, 0, 0)));
    expect(await line.drain()).toEqual([ACK]);
    vi.advanceTimersByTime(10_000);
    emulator.powerCycle();
    vi.advanceTimersByTime(20_000);
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]);
    expect(emulator.fn.shiftOpen).toBe(true); // the FN did open it: the host must check FF01
  });

  it("busy: 0x50 and the command is not executed", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.faults.inject({ kind: "busy", command: operation.code });
    expect(await line.call(operation, item())).toEqual({ error: 0x50 });
    expect(emulator.status().receiptOpen).toBe(false);
    await line.ok(operation, item());
  });

  it("cable pulled after FF45 executed: the line closes; on a new connection ENQ returns the pending answer", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(operation, item());
    emulator.faults.inject({ kind: "cable-pulled", command: closeReceipt.code, stage: "after-execute" });
    line.write(encodeFrame(closeReceipt.code, closeReceipt.encodeRequest(payment(10_000))));
    expect(await line.drain()).toEqual([ACK]);
    expect(line.closed).toBe(true);
    expect(() => emulator.connect()).toThrow(/cable is pulled/);
    emulator.plugCable();
    const again = new TestLine(emulator.connect());
    again.write([ENQ]);
    expect(await again.readByte()).toBe(ACK);
    const answer = await again.readFrame();
    expect(answer).toMatchObject({ command: closeReceipt.code, error: 0 });
    expect(closeReceipt.decodeAnswer(answer.data).fdNumber).toBe(3);
    again.write([ACK, ENQ]);
    expect(await again.drain()).toEqual([NAK]);
    expect(emulator.fn.lastFdNumber).toBe(3);
  });

  it("connect() again unplugs the earlier in-memory line", async () => {
    const { line, emulator } = setup();
    const next = new TestLine(emulator.connect());
    await next.ok(shortStatus, { password: ADMIN });
    await next.drain();
    expect(line.closed).toBe(true);
  });

  it("counts matching frames with `after` and stops after `times`", () => {
    const plan = new FaultPlan();
    plan.inject({ kind: "nak", command: 0xff46, after: 1, times: 2 });
    expect(plan.take(0x10)).toHaveLength(0);
    expect(plan.take(0xff46)).toHaveLength(0);
    expect(plan.take(0xff46)).toHaveLength(1);
    expect(plan.take(0xff46)).toHaveLength(1);
    expect(plan.take(0xff46)).toHaveLength(0);
    expect(plan.armed).toBe(false);
  });

  it("rejects a fault it cannot apply, naming the parameter", () => {
    const plan = new FaultPlan();
    expect(() => plan.inject({ kind: "nak", stage: "mid-answer" })).toThrow(/"stage"/);
    expect(() => plan.inject({ kind: "gremlins" as never })).toThrow(/"kind"/);
    expect(() => plan.inject({ kind: "nak", times: 0 })).toThrow(/"times"/);
  });
});
