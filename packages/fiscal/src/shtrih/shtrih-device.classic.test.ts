/**
 * identify (FC + 11), cash in/out with the drawer count (50/51, money register 241) and
 * correction receipts (FF35 … FF4A) through ShtrihDevice against the in-process emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { Tag } from "../ffd/tags.ts";
import { decodeTlv, findField } from "../ffd/tlv.ts";
import { ShtrihDevice, type ShtrihDeviceOptions } from "./shtrih-device.ts";
import { sampleCorrection } from "./test-support/receipts.ts";

const cashier = { name: "Иванова А." };
const FAST: ShtrihDeviceOptions = {
  enqTimeoutMs: 25,
  enqAttempts: 2,
  ackTimeoutMs: 25,
  answerTimeoutMs: () => 60,
  busyPollMs: 1,
};
let emulator: KktEmulator;
let device: ShtrihDevice;
let logged: string[];

beforeEach(() => {
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
  logged = [];
  device = new ShtrihDevice(emulator.connect(), { ...FAST, log: (l) => logged.push(l) });
});
afterEach(async () => {
  await device.close();
  emulator.close();
});

describe("identify", () => {
  it("reads the model from FC and the firmware from 11, logs it once and caches it", async () => {
    const info = await device.identify();
    expect(info).toEqual({
      family: "shtrih",
      model: "ШТРИХ-М-01Ф (Kassa emulator)",
      modelId: 0,
      firmware: "C1 build 34378, protocol 1.17",
    });
    expect(logged).toEqual([expect.stringContaining("ШТРИХ-М-01Ф")]);
    // Cached: even a device that now refuses FC is not asked again.
    emulator.faults.inject({ kind: "refuse", command: 0xfc, code: 0x37, times: Number.POSITIVE_INFINITY });
    expect(await device.identify()).toEqual(info);
    expect(logged).toHaveLength(1);
  });

  it("a register that does not know FC gives a typed error", async () => {
    emulator.faults.inject({ kind: "refuse", command: 0xfc, code: 0x37 });
    await expect(device.identify()).rejects.toMatchObject({ kassaCode: "PROTOCOL_ERROR", deviceCode: 0x37 });
  });
});

describe("moveCash and cashInDrawer", () => {
  it("cash in and cash out move the register's drawer count", async () => {
    await device.openShift(cashier);
    expect(await device.cashInDrawer()).toBe(0);
    expect(await device.moveCash({ kind: "cash_in", amount: 500_000, cashier })).toEqual({
      documentNumber: 2,
      cashInDrawer: 500_000,
    });
    const out = await device.moveCash({ kind: "cash_out", amount: 120_000, cashier });
    expect(out.cashInDrawer).toBe(380_000);
    expect(await device.cashInDrawer()).toBe(380_000);
    expect(emulator.status().cashInDrawer).toBe(380_000);
  });

  it("bad input and a closed shift are typed errors and move nothing", async () => {
    for (const m of [
      { kind: "cash_in", amount: 0 },
      { kind: "cash_in", amount: 10.5 },
      { kind: "cash_in", amount: -1 },
      { kind: "refill", amount: 100 },
    ]) {
      await expect(device.moveCash({ ...m, cashier } as never)).rejects.toMatchObject({
        kassaCode: "BAD_PARAMETERS",
      });
    }
    await expect(device.moveCash({ kind: "cash_in", amount: 100, cashier })).rejects.toMatchObject({
      kassaCode: "SHIFT_CLOSED",
    });
    await device.openShift(cashier);
    await expect(device.moveCash({ kind: "cash_out", amount: 1, cashier })).rejects.toMatchObject({
      kassaCode: "BAD_PARAMETERS",
    });
    expect(emulator.status().cashInDrawer).toBe(0);
  });

  it("an answer lost after the movement ran is settled from the drawer count, exactly once", async () => {
    await device.openShift(cashier);
    emulator.faults.inject({ kind: "power-loss", command: 0x50, stage: "after-execute", restoreAfterMs: 10 });
    expect(await device.moveCash({ kind: "cash_in", amount: 70_000, cashier })).toEqual({
      documentNumber: null,
      cashInDrawer: 70_000,
    });
    expect(emulator.status().cashInDrawer).toBe(70_000);
  });

  it("a frame swallowed before it ran is a certain failure (safe to move again)", async () => {
    await device.openShift(cashier);
    emulator.faults.inject({ kind: "silence", command: 0x51, stage: "before-execute" });
    await device.moveCash({ kind: "cash_in", amount: 70_000, cashier });
    const err = await device.moveCash({ kind: "cash_out", amount: 10_000, cashier }).catch((e) => e);
    expect(err).toBeInstanceOf(FiscalDeviceError);
    expect(err.uncertain).toBe(false);
    expect(emulator.status().cashInDrawer).toBe(70_000);
  });
});

describe("fiscalizeCorrection", () => {
  it("makes an FFD 1.2 correction receipt with 1173, 1174 (1178/1179) and tag 1192", async () => {
    await device.openShift(cashier);
    const before = await device.fnStatus();
    const r = await device.fiscalizeCorrection(
      sampleCorrection("corr-0001", {
        correctionType: "instruction",
        basis: { date: "2026-03-01", documentNumber: "ПР-7" },
      }),
    );
    expect(r).toMatchObject({ fdNumber: before.lastFdNumber + 1, change: 0, shiftNumber: 1 });
    expect(emulator.correctionsByTag("corr-0001")).toHaveLength(1);
    const doc = await device.findDocument(r.fdNumber);
    expect(doc).toMatchObject({ documentType: 31, receiptTag: "corr-0001", fiscalSign: r.fiscalSign });
    const fields = decodeTlv(doc!.tlv);
    expect(findField(fields, Tag.CORRECTION_TYPE)).toMatchObject({ value: 1 });
    const basis = findField(fields, Tag.CORRECTION_BASIS);
    expect(basis?.type === "stlv" && basis.value).toEqual([
      { tag: 1178, type: "unixtime", value: Date.UTC(2026, 2, 1) / 1000 },
      { tag: 1179, type: "string", value: "ПР-7" },
    ]);
    expect(findField(fields, Tag.CALCULATION_SIGN)).toMatchObject({ value: 1 });
    expect(findField(fields, Tag.TOTAL)).toMatchObject({ value: 43445 });
    expect(await device.recoverReceipt("corr-0001", r.fdNumber)).toMatchObject({ fiscalized: true });
  });

  it("expense corrections carry 1054 = 3", async () => {
    await device.openShift(cashier);
    const r = await device.fiscalizeCorrection(sampleCorrection("corr-exp", { kind: "expense" }));
    const fields = decodeTlv((await device.findDocument(r.fdNumber))!.tlv);
    expect(findField(fields, Tag.CALCULATION_SIGN)).toMatchObject({ value: 3 });
  });

  it("refuses bad corrections with a typed error before sending anything", async () => {
    await device.openShift(cashier);
    const last = emulator.fn.lastFdNumber;
    for (const bad of [
      sampleCorrection("c", { basis: { date: "2026-02-30" } }),
      sampleCorrection("c", { basis: { date: "1.3.2026" } }),
      sampleCorrection("c", { correctionType: "instruction" }),
      sampleCorrection("c", { kind: "refund" as never }),
      sampleCorrection("c", { payments: { cash: 100, electronic: 0 } }),
      sampleCorrection("c", { items: [] }),
    ]) {
      await expect(device.fiscalizeCorrection(bad)).rejects.toMatchObject({ kassaCode: "BAD_PARAMETERS" });
    }
    expect(emulator.fn.lastFdNumber).toBe(last);
    expect(emulator.status().receiptOpen).toBe(false);
  });

  it("an FF4A answer lost after it ran is recovered from the FN: one correction, no second print", async () => {
    await device.openShift(cashier);
    emulator.faults.inject({
      kind: "power-loss",
      command: 0xff4a,
      stage: "after-execute",
      restoreAfterMs: 10,
    });
    const r = await device.fiscalizeCorrection(sampleCorrection("corr-lost"));
    expect(r.fdNumber).toBe(emulator.fn.lastFdNumber);
    expect(emulator.correctionsByTag("corr-lost")).toHaveLength(1);
  });

  it("the shift closed is SHIFT_CLOSED and makes nothing", async () => {
    await expect(device.fiscalizeCorrection(sampleCorrection("c"))).rejects.toMatchObject({
      kassaCode: "SHIFT_CLOSED",
    });
    expect(emulator.fn.lastFdNumber).toBe(1);
  });
});
