import { afterEach, describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { AtolDeviceError } from "./error-codes.ts";
import { fiscalTaskUuid } from "./task-uuid.ts";
import { type AtolRig, atolRig, CASHIER, sale } from "./test-fixtures.ts";

let rig: AtolRig;
afterEach(async () => {
  await rig?.close();
});

describe("AtolDevice against the emulator over HTTP", () => {
  it("identifies the register and reads status, FN and OFD backlog", async () => {
    rig = await atolRig();
    expect(await rig.device.identify()).toMatchObject({
      family: "atol",
      model: rig.emulator.modelName,
      modelId: 61,
    });
    expect(await rig.device.status()).toMatchObject({ mode: "shift_open", paperPresent: true });
    const fn = await rig.device.fnStatus();
    expect(fn).toMatchObject({ lifePhase: 3, shiftOpen: true, fnNumber: rig.emulator.fn.fnNumber });
    expect(fn.lastFdNumber).toBe(rig.emulator.fn.lastFdNumber);
    rig.emulator.control("ofd down");
    await rig.device.fiscalizeReceipt(sale("r-ofd"));
    const ofd = await rig.device.ofdStatus();
    expect(ofd.unsentCount).toBe(1);
    expect(ofd.firstUnsentFd).toBe(rig.emulator.fn.lastFdNumber);
    expect(ofd.oldestUnsentAt).toMatch(/^2026-03-02T\d{2}:00:00[+-]\d{2}:\d{2}$/);
  });

  it("fiscalizes a sale with items, VAT, payment method and subject, cashier and tag 1192", async () => {
    rig = await atolRig();
    const r = await rig.device.fiscalizeReceipt(sale("r-1"));
    expect(r).toMatchObject({
      fdNumber: rig.emulator.fn.lastFdNumber,
      fnNumber: rig.emulator.fn.fnNumber,
      change: 50000 - 43445,
    });
    expect(rig.documentsFor("r-1")).toBe(1);
    const doc = await rig.device.findDocument(r.fdNumber);
    expect(doc).toMatchObject({
      fdNumber: r.fdNumber,
      documentType: 3,
      receiptTag: "r-1",
      fiscalSign: r.fiscalSign,
    });
    expect(rig.emulator.cash).toBe(43445);
  });

  it("a refund and a correction go the same way", async () => {
    rig = await atolRig();
    await rig.device.fiscalizeReceipt(sale("r-sale"));
    const refund = await rig.device.fiscalizeReceipt(
      sale("r-ref", { kind: "income_return", payments: { cash: 43445, electronic: 0 } }),
    );
    expect(rig.emulator.fn.find(refund.fdNumber)?.operationType).toBe(2);
    const correction = await rig.device.fiscalizeCorrection({
      ...sale("r-corr"),
      kind: "income",
      correctionType: "instruction",
      basis: { date: "2026-02-27", documentNumber: "12-34" },
    });
    expect(rig.documentsFor("r-corr")).toBe(1);
    expect(rig.emulator.fn.find(correction.fdNumber)?.documentType).toBe(31);
    expect(await rig.device.recoverReceipt("r-corr", correction.fdNumber)).toMatchObject({
      fiscalized: true,
    });
  });

  it("refuses bad input with a typed error and posts nothing", async () => {
    rig = await atolRig();
    const before = rig.emulator.fn.lastFdNumber;
    const bad = sale("r-bad");
    bad.items[0]!.sum = 1;
    await expect(rig.device.fiscalizeReceipt(bad)).rejects.toMatchObject({
      kassaCode: "BAD_PARAMETERS",
      uncertain: false,
    });
    await expect(
      rig.device.fiscalizeCorrection({
        ...sale("c-bad"),
        correctionType: "instruction",
        basis: { date: "2026-02-27" },
      }),
    ).rejects.toMatchObject({ kassaCode: "BAD_PARAMETERS" });
    await expect(rig.device.moveCash({ kind: "cash_in", amount: 0, cashier: CASHIER })).rejects.toMatchObject(
      {
        kassaCode: "BAD_PARAMETERS",
      },
    );
    expect(rig.emulator.fn.lastFdNumber).toBe(before);
    expect(rig.emulator.executions.size).toBe(0);
  });

  it("shifts: Z report, then open; an open shift refuses a second open", async () => {
    rig = await atolRig();
    const z = await rig.device.closeShift(CASHIER);
    expect(z.shiftNumber).toBe(1);
    await expect(rig.device.fiscalizeReceipt(sale("r-closed"))).rejects.toMatchObject({
      kassaCode: "SHIFT_CLOSED",
    });
    const open = await rig.device.openShift(CASHIER);
    expect(open.shiftNumber).toBe(2);
    await expect(rig.device.openShift(CASHIER)).rejects.toMatchObject({ kassaCode: "SHIFT_ALREADY_OPEN" });
    await rig.device.xReport(CASHIER);
  });

  it("cash in and out move the register's own count", async () => {
    rig = await atolRig();
    expect(await rig.device.moveCash({ kind: "cash_in", amount: 100000, cashier: CASHIER })).toEqual({
      documentNumber: null,
      cashInDrawer: 100000,
    });
    expect(
      (await rig.device.moveCash({ kind: "cash_out", amount: 30000, cashier: CASHIER })).cashInDrawer,
    ).toBe(70000);
    expect(await rig.device.cashInDrawer()).toBe(70000);
    await expect(
      rig.device.moveCash({ kind: "cash_out", amount: 100000, cashier: CASHIER }),
    ).rejects.toBeInstanceOf(AtolDeviceError);
  });

  it("the ATOL driver does its own OFD exchange: nothing for Kassa's relay", async () => {
    rig = await atolRig();
    expect(await rig.device.readOfdMessage()).toBeNull();
    await expect(rig.device.writeOfdReceipt(new Uint8Array([1]))).rejects.toMatchObject({
      kassaCode: "NOT_ALLOWED_IN_MODE",
    });
  });
});

describe("exactly once", () => {
  it("fiscalizing the same receipt again returns the first result and prints nothing", async () => {
    rig = await atolRig();
    const first = await rig.device.fiscalizeReceipt(sale("r-twice"));
    const again = await rig.device.fiscalizeReceipt(sale("r-twice"));
    expect(again).toEqual(first);
    expect(rig.documentsFor("r-twice")).toBe(1);
    expect(rig.emulator.executions.get(fiscalTaskUuid("r-twice", 0))).toBe(1);
  });

  it("a certain failure (paper out) is retried under the next attempt's UUID once fixed", async () => {
    rig = await atolRig();
    rig.emulator.control("paper out");
    const err = await rig.device.fiscalizeReceipt(sale("r-paper")).catch((e) => e);
    expect(err).toMatchObject({ kassaCode: "PAPER_OUT", uncertain: false });
    expect(rig.documentsFor("r-paper")).toBe(0);
    rig.emulator.control("paper in");
    await rig.device.fiscalizeReceipt(sale("r-paper"));
    expect(rig.documentsFor("r-paper")).toBe(1);
    expect(rig.emulator.executions.get(fiscalTaskUuid("r-paper", 1))).toBe(1);
  });
});

/**
 * The device fault matrix: every fault ends in exactly one fiscal document for the receipt, or a
 * certain "not fiscalized" (and then one document after the retry).
 */
describe("fault matrix", () => {
  async function settle(id: string, expectedFd: number) {
    for (;;) {
      try {
        return await rig.device.recoverReceipt(id, expectedFd);
      } catch (err) {
        if (!(err instanceof FiscalDeviceError) || !err.uncertain) throw err;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  it("slow task past the timeout: uncertain, then recovered as fiscalized once", async () => {
    rig = await atolRig({ taskMs: 150 }, { taskTimeoutMs: 20 });
    const expected = rig.emulator.fn.lastFdNumber + 1;
    const err = await rig.device.fiscalizeReceipt(sale("r-slow")).catch((e) => e);
    expect(err).toMatchObject({ kassaCode: "DEVICE_TIMEOUT", uncertain: true });
    expect(await settle("r-slow", expected)).toMatchObject({
      fiscalized: true,
      attributes: { fdNumber: expected },
    });
    expect(rig.documentsFor("r-slow")).toBe(1);
  });

  it("a task stuck in progress: recovery waits (uncertain) until it finishes, never re-posts", async () => {
    rig = await atolRig({}, { taskTimeoutMs: 30 });
    const expected = rig.emulator.fn.lastFdNumber + 1;
    rig.emulator.control("stuck sell");
    await expect(rig.device.fiscalizeReceipt(sale("r-stuck"))).rejects.toMatchObject({ uncertain: true });
    await expect(rig.device.recoverReceipt("r-stuck", expected)).rejects.toMatchObject({ uncertain: true });
    await expect(rig.device.fiscalizeReceipt(sale("r-stuck"))).rejects.toMatchObject({ uncertain: true });
    expect(rig.documentsFor("r-stuck")).toBe(0);
    rig.emulator.control("release");
    expect(await settle("r-stuck", expected)).toMatchObject({ fiscalized: true });
    expect(rig.documentsFor("r-stuck")).toBe(1);
    expect(rig.emulator.executions.get(fiscalTaskUuid("r-stuck", 0))).toBe(1);
  });

  it("web server down before the post: certain, nothing printed; up again: one document", async () => {
    rig = await atolRig();
    await rig.emulator.down();
    const err = await rig.device.fiscalizeReceipt(sale("r-down")).catch((e) => e);
    expect(err).toMatchObject({ kassaCode: "DEVICE_DISCONNECTED", uncertain: false });
    expect(rig.documentsFor("r-down")).toBe(0);
    await rig.emulator.up();
    await rig.device.fiscalizeReceipt(sale("r-down"));
    expect(rig.documentsFor("r-down")).toBe(1);
  });

  it("web server down while the task runs: uncertain; recovery after it returns finds one document", async () => {
    rig = await atolRig({}, { taskTimeoutMs: 2000 });
    const expected = rig.emulator.fn.lastFdNumber + 1;
    rig.emulator.control("stuck sell");
    const pending = rig.device.fiscalizeReceipt(sale("r-gone")).catch((e) => e);
    await vi_waitFor(() => rig.emulator.executions.has(fiscalTaskUuid("r-gone", 0)));
    await rig.emulator.down();
    expect(await pending).toMatchObject({ uncertain: true });
    rig.emulator.control("release");
    await rig.emulator.up();
    expect(await settle("r-gone", expected)).toMatchObject({ fiscalized: true });
    expect(rig.documentsFor("r-gone")).toBe(1);
  });

  it("paper out mid-receipt: the document is in the FN; the register waits for continue-print", async () => {
    rig = await atolRig();
    rig.emulator.control("paper mid-receipt");
    const r = await rig.device.fiscalizeReceipt(sale("r-mid"));
    expect(rig.documentsFor("r-mid")).toBe(1);
    expect(await rig.device.status()).toMatchObject({ paperPresent: false, awaitingContinuePrint: true });
    await expect(rig.device.continuePrint()).rejects.toMatchObject({ kassaCode: "PAPER_OUT" });
    rig.emulator.control("paper in");
    await rig.device.continuePrint();
    expect(await rig.device.status()).toMatchObject({ paperPresent: true, awaitingContinuePrint: false });
    expect(await rig.device.fiscalizeReceipt(sale("r-mid"))).toEqual(r);
    expect(rig.documentsFor("r-mid")).toBe(1);
  });

  for (const stage of ["before-fn", "after-fn"] as const) {
    it(`power loss ${stage} with the task half done: exactly one document in the end`, async () => {
      rig = await atolRig();
      const expected = rig.emulator.fn.lastFdNumber + 1;
      rig.emulator.control(`power-loss stage=${stage}`);
      await expect(rig.device.fiscalizeReceipt(sale("r-power"))).rejects.toMatchObject({ uncertain: true });
      rig.emulator.control("power-on");
      await vi_waitFor(() => rig.emulator.listening);
      const found = await settle("r-power", expected);
      expect(found.fiscalized).toBe(stage === "after-fn");
      if (!found.fiscalized) await rig.device.fiscalizeReceipt(sale("r-power"));
      expect(rig.documentsFor("r-power")).toBe(1);
    });
  }

  for (const stage of ["before-fn", "after-fn"] as const) {
    it(`driver error 241 (connection lost) ${stage}: uncertain, settled by the FN, never printed twice`, async () => {
      rig = await atolRig();
      const expected = rig.emulator.fn.lastFdNumber + 1;
      rig.emulator.control(`error 241 stage=${stage}`);
      await expect(rig.device.fiscalizeReceipt(sale("r-241"))).rejects.toMatchObject({
        kassaCode: "DEVICE_DISCONNECTED",
        uncertain: true,
      });
      // Without asking the FN first, the device refuses to post the next attempt.
      await expect(rig.device.fiscalizeReceipt(sale("r-241"))).rejects.toMatchObject({ uncertain: true });
      const found = await rig.device.recoverReceipt("r-241", expected);
      expect(found.fiscalized).toBe(stage === "after-fn");
      if (!found.fiscalized) await rig.device.fiscalizeReceipt(sale("r-241"));
      expect(rig.documentsFor("r-241")).toBe(1);
    });
  }

  it("the driver forgot its results: the FN is asked by FD number and tag 1192", async () => {
    rig = await atolRig();
    const expected = rig.emulator.fn.lastFdNumber + 1;
    const r = await rig.device.fiscalizeReceipt(sale("r-forgot"));
    rig.emulator.control("forget");
    expect(await rig.device.recoverReceipt("r-forgot", expected)).toEqual({
      fiscalized: true,
      attributes: {
        fdNumber: r.fdNumber,
        fiscalSign: r.fiscalSign,
        fnNumber: r.fnNumber,
        shiftNumber: 1,
        dateTime: r.dateTime.slice(0, 19),
      },
    });
    expect(await rig.device.recoverReceipt("r-other", expected)).toEqual({
      fiscalized: false,
      lastFdNumber: r.fdNumber,
    });
  });

  it("FN rules: shift over 24 h and 30 days without the OFD are certain refusals", async () => {
    rig = await atolRig();
    rig.emulator.control("expire-shift");
    await expect(rig.device.fiscalizeReceipt(sale("r-24"))).rejects.toMatchObject({
      kassaCode: "SHIFT_EXPIRED",
      uncertain: false,
    });
    expect((await rig.device.status()).mode).toBe("shift_expired");
    await rig.device.closeShift(CASHIER);
    await rig.device.openShift(CASHIER);
    rig.emulator.control("ofd down");
    await rig.device.fiscalizeReceipt(sale("r-30a"));
    await rig.device.closeShift(CASHIER);
    rig.clock.advance(31 * 86_400_000);
    await expect(rig.device.openShift(CASHIER)).rejects.toMatchObject({
      kassaCode: "FN_OFD_BLOCKED",
      uncertain: false,
    });
    rig.emulator.control("ofd up");
    await rig.device.openShift(CASHIER);
    await rig.device.fiscalizeReceipt(sale("r-30b"));
    expect(rig.documentsFor("r-30b")).toBe(1);
  });
});

async function vi_waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 2));
}
