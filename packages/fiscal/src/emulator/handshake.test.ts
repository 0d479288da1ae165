import { afterEach, describe, expect, it, vi } from "vitest";
import { fnStatus } from "../shtrih/commands/fn.ts";
import { closeReceipt, operation, printString, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { openShift, zReport } from "../shtrih/commands/shift.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { ACK, ENQ, encodeFrame, NAK } from "../shtrih/frame.ts";
import { ADMIN, item, openShiftOn, payment, receiptTag, setup } from "./test-fixtures.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("protocol v1 handshake, device side", () => {
  it("answers ENQ with NAK when idle", async () => {
    const { line } = setup();
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]);
  });

  it("passes the reference short-status frame byte for byte and answers with ACK + the answer frame", async () => {
    const { line } = setup();
    line.write([0x02, 0x05, 0x10, 0x1e, 0x00, 0x00, 0x00, 0x0b]);
    expect(await line.readByte()).toBe(ACK);
    const answer = await line.readFrame();
    expect(answer).toMatchObject({ command: 0x10, error: 0, lrcOk: true });
    expect(shortStatus.decodeAnswer(answer.data)).toMatchObject({ operator: 30, mode: 4, submode: 0 });
  });

  it("keeps the answer pending until the host ACKs it, resends it on ENQ and never re-executes", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    line.write(encodeFrame(operation.code, operation.encodeRequest(item())));
    await line.readByte(); // ACK
    const first = await line.readFrame();
    // The host "lost" the answer: it asks again instead of resending the command.
    line.write([ENQ]);
    expect(await line.readByte()).toBe(ACK);
    const again = await line.readFrame();
    expect(again).toEqual(first);
    line.write([ENQ]);
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toEqual(first);
    expect(emulator.device.receipt?.items).toHaveLength(1);
    // Acknowledged: nothing pending any more.
    line.write([ACK, ENQ]);
    expect(await line.drain()).toEqual([NAK]);
    expect(emulator.status().pendingAnswer).toBe(false);
  });

  it("answers a frame with a bad LRC with NAK and does not execute it", async () => {
    const { line, emulator } = setup();
    const frame = encodeFrame(openShift.code, openShift.encodeRequest({ password: ADMIN }));
    frame[frame.length - 1]! ^= 0x5a;
    line.write(frame);
    expect(await line.drain()).toEqual([NAK]);
    expect(emulator.fn.shiftOpen).toBe(false);
    expect(emulator.fn.lastFdNumber).toBe(1);
    // Nothing is pending either: the host may send the command again.
    line.write([ENQ]);
    expect(await line.drain()).toEqual([NAK]);
  });

  it("gives up on a frame cut short after the 50 ms inter-byte timeout: NAK, not executed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { line, emulator } = setup();
    const frame = encodeFrame(openShift.code, openShift.encodeRequest({ password: ADMIN }));
    line.write(frame.subarray(0, 4));
    expect(await line.drain()).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(await line.drain()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(await line.drain()).toEqual([NAK]);
    // The rest of the old frame arriving late is noise, not a command.
    line.write(frame.subarray(4));
    vi.advanceTimersByTime(50);
    await line.drain();
    expect(emulator.fn.shiftOpen).toBe(false);
  });

  it("accepts a frame split into single bytes within the timeout", async () => {
    const { line } = setup();
    const frame = encodeFrame(
      printString.code,
      printString.encodeRequest({ password: 1, flags: 2, text: "Hi" }),
    );
    for (const b of frame) line.write([b]);
    expect(await line.readByte()).toBe(ACK);
    expect(await line.readFrame()).toMatchObject({ command: 0x17, error: 0 });
  });

  it("ignores stray bytes between frames", async () => {
    const { line } = setup();
    line.write([0xff, 0x37, 0x00]);
    expect(await line.drain()).toEqual([]);
    expect(await line.call(shortStatus, { password: ADMIN })).toMatchObject({ mode: 4 });
  });

  it("answers a wrong password with 0x4F and an unknown command with 0x37", async () => {
    const { line } = setup();
    expect(await line.call(shortStatus, { password: 777 })).toEqual({ error: 0x4f });
    expect((await line.command(0x99, Uint8Array.of(30, 0, 0, 0))).error).toBe(0x37);
  });

  it("takes FN commands only with the system administrator's password, Z reports with an administrator's", async () => {
    const { line } = setup();
    await openShiftOn(line);
    expect(await line.call(fnStatus, { password: 1 })).toEqual({ error: 0x4f });
    expect(await line.call(fnStatus, { password: 29 })).toEqual({ error: 0x4f });
    expect(await line.call(zReport, { password: 1 })).toEqual({ error: 0x4f });
    await line.ok(zReport, { password: 29 });
  });

  it("answers a request too short for its layout with 0x01 (bad format)", async () => {
    const { line } = setup();
    expect((await line.command(closeReceipt.code, Uint8Array.of(1, 0, 0, 0, 5))).error).toBe(0x01);
  });

  it("a sale through the handshake leaves exactly one receipt tagged with its id", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(operation, item());
    await line.ok(writeReceiptTlv, receiptTag("r-0001"));
    const closed = await line.ok(closeReceipt, payment(15_000));
    expect(closed.change).toBe(5_000);
    expect(closed.fdNumber).toBe(3);
    expect(emulator.countReceiptsByTag("r-0001")).toBe(1);
  });
});
