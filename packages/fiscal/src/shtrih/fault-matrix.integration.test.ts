/**
 * The exactly-once matrix: every fault the emulator can inject, at every step of a receipt — sold
 * with FF46/FF45 by the driver, with the classic set (8D/80/85) by a seller below, and as a
 * correction receipt (FF35 … FF4A) by the driver. The
 * test plays the agent: remember the next FD number, fiscalize, and on failure restore the device
 * (power, cable, paper), run recovery when the outcome is uncertain, and sell again only when the
 * device says the receipt was not fiscalized. Each case must end with exactly one fiscal document
 * carrying the receipt's tag 1192 — or, when the FN is full, none and a clear FN_FULL.
 *
 * Invariants checked on the way: a success means one document; a certain error means none; an
 * uncertain error's recovery answer matches what the FN really holds.
 */
import { describe, type ExpectStatic, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { FakeClock } from "../emulator/clock.ts";
import type { FaultSpec } from "../emulator/fault-plan.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { encodeTlv, tlv } from "../ffd/tlv.ts";
import {
  cancelReceipt,
  closeReceiptClassic,
  fnStatus,
  openReceipt,
  sale,
  shortStatus,
  writeReceiptTlv,
} from "./commands/index.ts";
import { asCertain, DeviceCaller } from "./device-call.ts";
import { ShtrihDevice, type ShtrihDeviceOptions } from "./shtrih-device.ts";
import { sampleCorrection, sampleReceipt } from "./test-support/receipts.ts";
import { globalTimers } from "./transport.ts";

// Short timeouts keep ~130 cases fast; the protocol logic is the same as with the vendor's.
const FAST: ShtrihDeviceOptions = {
  enqTimeoutMs: 25,
  enqAttempts: 2,
  ackTimeoutMs: 25,
  answerTimeoutMs: () => 60,
  busyPollMs: 1,
};

/** Every command a receipt sends, in order (the 2nd item is sold by weight, hence FF4D). */
const STEPS: { label: string; command: number; after?: number }[] = [
  { label: "10 status", command: 0x10 },
  { label: "FF01 FN status", command: 0xff01 },
  { label: "FF40 shift", command: 0xff40 },
  { label: "FF46 item 1", command: 0xff46 },
  { label: "FF46 item 2", command: 0xff46, after: 1 },
  { label: "FF4D unit", command: 0xff4d },
  { label: "FF0C tag 1192", command: 0xff0c },
  { label: "FF45 close", command: 0xff45 },
  { label: "FF0A read back", command: 0xff0a },
];

type Step = { label: string; command: number; after?: number };

/** Every transport fault at every step: power, cable, blips, silence, NAK, bad LRC, garbage, busy, continue-print. */
function lineFaults(steps: Step[]): { name: string; fault: FaultSpec }[] {
  const out: { name: string; fault: FaultSpec }[] = [];
  for (const step of steps) {
    const at = { command: step.command, ...(step.after ? { after: step.after } : {}) };
    for (const stage of ["before-execute", "after-execute", "mid-answer"] as const) {
      out.push({ name: `power loss ${stage} at ${step.label}`, fault: { kind: "power-loss", stage, ...at } });
      out.push({
        name: `cable pulled ${stage} at ${step.label}`,
        fault: { kind: "cable-pulled", stage, ...at },
      });
      // Power back before the driver gives up: the device answers ENQ with NAK, its answer lost.
      out.push({
        name: `power blip (back in 20 ms) ${stage} at ${step.label}`,
        fault: { kind: "power-loss", stage, restoreAfterMs: 20, ...at },
      });
    }
    for (const stage of ["before-execute", "after-execute"] as const) {
      out.push({ name: `silence ${stage} at ${step.label}`, fault: { kind: "silence", stage, ...at } });
    }
    for (const kind of ["nak", "bad-lrc", "garbage", "busy", "continue-print"] as const) {
      out.push({ name: `${kind} at ${step.label}`, fault: { kind, ...at } });
    }
  }
  return out;
}

/** Paper out, shift expiry and a full FN at the steps that print or make the document. */
function deviceFaults(steps: Step[]): { name: string; fault: FaultSpec }[] {
  const out: { name: string; fault: FaultSpec }[] = [];
  for (const step of steps) {
    const at = { command: step.command, ...(step.after ? { after: step.after } : {}) };
    out.push({ name: `paper out at ${step.label}`, fault: { kind: "paper-out", ...at } });
    out.push({ name: `shift expiry at ${step.label}`, fault: { kind: "shift-expiry", ...at } });
    out.push({ name: `FN full at ${step.label}`, fault: { kind: "fn-full", ...at } });
  }
  return out;
}

const cases = lineFaults(STEPS);
cases.push({ name: "NAK storm at FF45 (5 NAKs)", fault: { kind: "nak", command: 0xff45, times: 5 } });
cases.push({ name: "busy for a while at FF45", fault: { kind: "busy", command: 0xff45, times: 20 } });
cases.push(...deviceFaults(STEPS.filter((s) => [0xff46, 0xff45].includes(s.command))));
cases.push({ name: "shift expiry at 10 status", fault: { kind: "shift-expiry", command: 0x10 } });

const cashier = { name: "Иванова А." };
const shiftCases: { name: string; fault: FaultSpec; closing: boolean }[] = [];
for (const [closing, command, label] of [
  [false, 0xe0, "E0 open shift"],
  [false, 0xff0a, "FF0A shift report read back"],
  [true, 0x41, "41 Z report"],
  [true, 0xff0a, "FF0A shift report read back"],
] as const) {
  for (const stage of ["before-execute", "after-execute", "mid-answer"] as const) {
    shiftCases.push({
      name: `power loss ${stage} at ${label}`,
      closing,
      fault: { kind: "power-loss", stage, command },
    });
    shiftCases.push({
      name: `power blip ${stage} at ${label}`,
      closing,
      fault: { kind: "power-loss", stage, command, restoreAfterMs: 20 },
    });
    shiftCases.push({
      name: `cable pulled ${stage} at ${label}`,
      closing,
      fault: { kind: "cable-pulled", stage, command },
    });
  }
  for (const stage of ["before-execute", "after-execute"] as const) {
    shiftCases.push({
      name: `silence ${stage} at ${label}`,
      closing,
      fault: { kind: "silence", stage, command },
    });
  }
  for (const kind of ["nak", "bad-lrc", "garbage", "busy", "continue-print"] as const) {
    shiftCases.push({ name: `${kind} at ${label}`, closing, fault: { kind, command } });
  }
}

/** A classic sale (the test's own seller below): 8D, two 80 items, FF0C tag 1192, 85. */
const CLASSIC_STEPS: Step[] = [
  { label: "10 status", command: 0x10 },
  { label: "FF01 FN status", command: 0xff01 },
  { label: "8D open", command: 0x8d },
  { label: "80 item 1", command: 0x80 },
  { label: "80 item 2", command: 0x80, after: 1 },
  { label: "FF0C tag 1192", command: 0xff0c },
  { label: "85 close", command: 0x85 },
];
const classicCases = [
  ...lineFaults(CLASSIC_STEPS),
  ...deviceFaults(CLASSIC_STEPS.filter((s) => [0x80, 0x85].includes(s.command))),
];

/** Every command fiscalizeCorrection sends, in order. */
const CORRECTION_STEPS: Step[] = [
  { label: "10 status", command: 0x10 },
  { label: "FF01 FN status", command: 0xff01 },
  { label: "FF40 shift", command: 0xff40 },
  { label: "FF35 start", command: 0xff35 },
  { label: "FF46 item 1", command: 0xff46 },
  { label: "FF46 item 2", command: 0xff46, after: 1 },
  { label: "FF4D unit", command: 0xff4d },
  { label: "FF0C basis 1174", command: 0xff0c },
  { label: "FF0C tag 1192", command: 0xff0c, after: 1 },
  { label: "FF4A close", command: 0xff4a },
  { label: "FF0A read back", command: 0xff0a },
];
const correctionCases = [
  ...lineFaults(CORRECTION_STEPS),
  ...deviceFaults(CORRECTION_STEPS.filter((s) => [0xff46, 0xff4a].includes(s.command))),
];

interface Rig {
  emulator: KktEmulator;
  device: ShtrihDevice;
}

function restore(rig: Rig): void {
  const { emulator } = rig;
  emulator.faults.clear();
  if (!emulator.powered) emulator.powerOn();
  if (!emulator.cablePlugged) emulator.plugCable();
  if (emulator.status().paper !== "ok") emulator.paperIn();
  if (rig.device.transport.disconnected) {
    // The agent reopens the port after the cable comes back.
    rig.device.transport.detach();
    rig.device = new ShtrihDevice(emulator.connect(), FAST);
  }
}

interface Sale {
  sell: (rig: Rig) => Promise<unknown>;
  /** Documents carrying the sale's tag 1192. */
  count: (emulator: KktEmulator) => number;
  id: string;
}

/**
 * Plays the agent: remember the next FD, sell, and on failure restore the device, run recovery
 * when the outcome is uncertain, and sell again only when the FN says it was not fiscalized.
 */
async function playAgent(fault: FaultSpec, expect: ExpectStatic, sale: Sale): Promise<void> {
  const emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: true });
  const rig: Rig = { emulator, device: new ShtrihDevice(emulator.connect(), FAST) };
  const count = () => sale.count(emulator);
  try {
    const expectedFd = (await rig.device.fnStatus()).lastFdNumber + 1;
    emulator.faults.inject(fault);

    let error: unknown = null;
    try {
      await sale.sell(rig);
    } catch (err) {
      error = err;
    }
    expect(emulator.faults.fired.length, "the fault must really have happened").toBeGreaterThan(0);

    if (error === null) {
      expect(count()).toBe(1);
      return;
    }
    expect(error).toBeInstanceOf(FiscalDeviceError);
    const err = error as FiscalDeviceError;
    restore(rig);
    if (err.uncertain) {
      const recovered = await rig.device.recoverReceipt(sale.id, expectedFd);
      expect(recovered.fiscalized).toBe(count() === 1);
      if (recovered.fiscalized) {
        expect(recovered.attributes.fdNumber).toBe(expectedFd);
        expect(count()).toBe(1);
        return;
      }
    } else {
      expect(count(), `a certain error (${err.kassaCode}) must mean no document`).toBe(0);
    }
    if (err.kassaCode === "FN_FULL") {
      expect(fault.kind).toBe("fn-full");
      expect(err.message).toMatch(/Replace the fiscal storage/);
      expect(count()).toBe(0);
      return;
    }
    if (err.kassaCode === "SHIFT_EXPIRED") {
      await rig.device.closeShift({ name: "Иванова А." });
      await rig.device.openShift({ name: "Иванова А." });
    }
    // Not fiscalized: the agent sells again.
    await sale.sell(rig);
    expect(count()).toBe(1);
  } finally {
    rig.device.transport.detach();
    emulator.close();
  }
}

/**
 * A seller that speaks the classic set (8D, 80, FF0C, 85) on the driver's transport, with the
 * driver's rules: ENQ before every frame, nothing resent blindly (DeviceCaller), anything before 85
 * is certain (the receipt is cancelled), 85 itself is settled by recovery.
 */
async function sellClassic(rig: Rig, id: string): Promise<void> {
  const caller = new DeviceCaller(rig.device.transport, {
    continuePrintPassword: 1,
    timers: globalTimers,
    busyPollMs: 1,
  });
  const cashierPw = { password: 1 };
  try {
    const s = await caller.call(shortStatus, { password: 30 }, { readOnly: true });
    if ((s.mode & 0x0f) === 8) await caller.call(cancelReceipt, cashierPw);
    // The expected FD (FN's last + 1) is known before anything prints.
    await caller.call(fnStatus, { password: 30 }, { readOnly: true });
    await caller.call(openReceipt, { ...cashierPw, receiptType: 0 });
    for (const [text, price, quantity] of [
      ["Хлеб", 5990, 2],
      ["Сыр", 89900, 0.35],
    ] as const) {
      await caller.call(sale, { ...cashierPw, quantity, price, department: 1, taxes: [1], text });
    }
    await caller.call(writeReceiptTlv, { ...cashierPw, tlv: encodeTlv([tlv.string(1192, id)]) });
  } catch (err) {
    if (!rig.device.transport.disconnected) await rig.device.cancelReceipt().catch(() => undefined);
    throw asCertain(err);
  }
  try {
    await caller.call(closeReceiptClassic, {
      ...cashierPw,
      payments: [50_000],
      discountPercent: 0,
      taxes: [],
      text: "",
    });
  } catch (err) {
    // A certain refusal of 85 made no document: the open receipt is cancelled, as after FF45.
    if (err instanceof FiscalDeviceError && !err.uncertain)
      await rig.device.cancelReceipt().catch(() => undefined);
    throw err;
  }
}

describe("fault matrix: exactly one fiscal document per receipt (and per shift report)", () => {
  // Cases are independent (own emulator, own line) and mostly wait on timeouts: run a few at once.
  it.concurrent.for(cases)("$name", async ({ fault }, { expect }) => {
    const id = "fm-receipt";
    await playAgent(fault, expect, {
      sell: (rig) => rig.device.fiscalizeReceipt(sampleReceipt(id)),
      count: (emulator) => emulator.countReceiptsByTag(id),
      id,
    });
  });

  it.concurrent.for(classicCases)("classic: $name", async ({ fault }, { expect }) => {
    const id = "fm-classic";
    await playAgent(fault, expect, {
      sell: (rig) => sellClassic(rig, id),
      count: (emulator) => emulator.countReceiptsByTag(id),
      id,
    });
  });

  it.concurrent.for(correctionCases)("correction: $name", async ({ fault }, { expect }) => {
    const id = "fm-correction";
    await playAgent(fault, expect, {
      sell: (rig) => rig.device.fiscalizeCorrection(sampleCorrection(id)),
      count: (emulator) => emulator.correctionsByTag(id).length,
      id,
    });
  });

  it.concurrent.for(shiftCases)("shift: $name", async ({ fault, closing }, { expect }) => {
    const emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: closing });
    const rig: Rig = { emulator, device: new ShtrihDevice(emulator.connect(), FAST) };
    const docType = closing ? 5 : 2;
    const count = () => emulator.documents().filter((d) => d.documentType === docType).length;
    const act = () => (closing ? rig.device.closeShift(cashier) : rig.device.openShift(cashier));
    try {
      emulator.faults.inject(fault);
      let error: unknown = null;
      const report = await act().catch((err: unknown) => {
        error = err;
        return null;
      });
      expect(emulator.faults.fired.length, "the fault must really have happened").toBeGreaterThan(0);
      if (report) {
        expect(count()).toBe(1);
        expect(report.fdNumber).toBe(emulator.fn.lastFdNumber);
      } else {
        expect(error).toBeInstanceOf(FiscalDeviceError);
        if (!(error as FiscalDeviceError).uncertain) expect(count()).toBe(0);
        restore(rig);
        // The agent asks the FN, and acts again only if the shift is not where it wanted it.
        if ((await rig.device.fnStatus()).shiftOpen === closing) await act();
      }
      expect(count()).toBe(1);
      expect((await rig.device.fnStatus()).shiftOpen).toBe(!closing);
    } finally {
      rig.device.transport.detach();
      emulator.close();
    }
  });

  it("power lost right after FF45 executed: uncertain, and recovery finds the document with its attributes", async () => {
    const emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: true });
    const device = new ShtrihDevice(emulator.connect(), FAST);
    const expectedFd = (await device.fnStatus()).lastFdNumber + 1;
    emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "after-execute" });
    const err = await device.fiscalizeReceipt(sampleReceipt("fm-2")).catch((e: unknown) => e);
    expect(err).toMatchObject({ uncertain: true, kassaCode: "DEVICE_TIMEOUT" });
    emulator.powerOn();
    const doc = emulator.receiptsByTag("fm-2")[0]!;
    expect(await device.recoverReceipt("fm-2", expectedFd)).toEqual({
      fiscalized: true,
      attributes: {
        fdNumber: doc.fdNumber,
        fiscalSign: String(doc.fiscalSign),
        fnNumber: emulator.fn.fnNumber,
        shiftNumber: doc.shiftNumber,
        dateTime: doc.dateTime,
      },
    });
    device.transport.detach();
    emulator.close();
  });

  it("FF45 swallowed before it executed: uncertain, recovery says not fiscalized, the next sale prints once", async () => {
    const emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: true });
    const device = new ShtrihDevice(emulator.connect(), FAST);
    const expectedFd = (await device.fnStatus()).lastFdNumber + 1;
    emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "before-execute" });
    await expect(device.fiscalizeReceipt(sampleReceipt("fm-3"))).rejects.toMatchObject({ uncertain: true });
    emulator.powerOn();
    expect(await device.recoverReceipt("fm-3", expectedFd)).toEqual({
      fiscalized: false,
      lastFdNumber: expectedFd - 1,
    });
    await device.fiscalizeReceipt(sampleReceipt("fm-3"));
    expect(emulator.countReceiptsByTag("fm-3")).toBe(1);
    device.transport.detach();
    emulator.close();
  });
});
