import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { type PtyRig, startPtyRig } from "./test-support/emulator-on-pty.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

const cashier = { name: "Петров П." };
let rig: PtyRig;

beforeAll(async () => {
  rig = await startPtyRig(
    { clock: new FakeClock("2026-03-02T09:00:00Z") },
    { enqTimeoutMs: 150, ackTimeoutMs: 150, answerTimeoutMs: () => 400 },
  );
});
afterAll(async () => {
  await rig?.close();
});

describe("driver ↔ emulator over a real socat pty pair", () => {
  it("runs a whole shift: open, two sales, X report, recovery lookup, Z report", async () => {
    // (the shift is reopened at the end for the fault cases below)
    expect(rig.pair.hostPath).toMatch(/^\/dev\/pts\//);
    const opened = await rig.device.openShift(cashier);
    const a = await rig.device.fiscalizeReceipt(sampleReceipt("pty-1"));
    const b = await rig.device.fiscalizeReceipt(
      sampleReceipt("pty-2", { payments: { cash: 0, electronic: 43445 } }),
    );
    expect(b.fdNumber).toBe(a.fdNumber + 1);
    expect(a.shiftNumber).toBe(opened.shiftNumber);
    expect(rig.emulator.countReceiptsByTag("pty-1")).toBe(1);
    expect(rig.emulator.countReceiptsByTag("pty-2")).toBe(1);
    await rig.device.xReport(cashier);
    expect(await rig.device.recoverReceipt("pty-2", a.fdNumber)).toMatchObject({
      fiscalized: true,
      attributes: { fdNumber: b.fdNumber },
    });
    const closed = await rig.device.closeShift(cashier);
    expect(closed.fdNumber).toBe(b.fdNumber + 1);
    await rig.device.openShift(cashier);
  });

  it("survives garbage and a bad LRC on the real line without a second document", async () => {
    rig.emulator.faults.inject({ kind: "garbage", command: 0xff46 });
    rig.emulator.faults.inject({ kind: "bad-lrc", command: 0xff45 });
    await rig.device.fiscalizeReceipt(sampleReceipt("pty-3"));
    expect(rig.emulator.countReceiptsByTag("pty-3")).toBe(1);
    expect(rig.emulator.faults.fired.map((f) => f.kind)).toEqual(
      expect.arrayContaining(["garbage", "bad-lrc"]),
    );
  });

  it("cable pulled on a serial line (it goes dead, not closed) right after FF45: uncertain, then recovery finds it", async () => {
    const expectedFd = (await rig.device.fnStatus()).lastFdNumber + 1;
    rig.emulator.faults.inject({ kind: "cable-pulled", command: 0xff45, stage: "after-execute" });
    const err = await rig.device.fiscalizeReceipt(sampleReceipt("pty-4")).catch((e: unknown) => e);
    expect(err).toMatchObject({ kassaCode: "DEVICE_TIMEOUT", uncertain: true });
    rig.emulator.plugCable();
    // The device kept power: its pending answer is still there and the line works again.
    expect(await rig.device.recoverReceipt("pty-4", expectedFd)).toMatchObject({
      fiscalized: true,
      attributes: { fdNumber: expectedFd },
    });
    expect(rig.emulator.countReceiptsByTag("pty-4")).toBe(1);
  });

  it("power lost before FF45 executed: recovery says not fiscalized and the retry prints it once", async () => {
    const expectedFd = (await rig.device.fnStatus()).lastFdNumber + 1;
    rig.emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "before-execute" });
    await expect(rig.device.fiscalizeReceipt(sampleReceipt("pty-5"))).rejects.toMatchObject({
      uncertain: true,
    });
    rig.emulator.powerOn();
    expect(await rig.device.recoverReceipt("pty-5", expectedFd)).toEqual({
      fiscalized: false,
      lastFdNumber: expectedFd - 1,
    });
    await rig.device.fiscalizeReceipt(sampleReceipt("pty-5"));
    expect(rig.emulator.countReceiptsByTag("pty-5")).toBe(1);
  });
});
