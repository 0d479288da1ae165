import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { decodeTlv } from "../ffd/tlv.ts";
import { receiptTagFor } from "./receipt-tag.ts";
import { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

const cashier = { name: "Иванова А." };
let emulator: KktEmulator;
let device: ShtrihDevice;

beforeEach(() => {
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
  device = new ShtrihDevice(emulator.connect(), { enqTimeoutMs: 200, ackTimeoutMs: 200 });
});
afterEach(async () => {
  await device.close();
  emulator.close();
});

describe("ShtrihDevice against the in-process emulator", () => {
  it("opens a shift, sells, finds the receipt by tag 1192, closes the shift", async () => {
    const opened = await device.openShift(cashier);
    expect(opened.shiftNumber).toBeGreaterThan(0);
    expect((await device.status()).mode).toBe("shift_open");

    const before = await device.fnStatus();
    const result = await device.fiscalizeReceipt(sampleReceipt("r-0001"));
    expect(result).toMatchObject({
      fdNumber: before.lastFdNumber + 1,
      fnNumber: before.fnNumber,
      shiftNumber: opened.shiftNumber,
      change: 50000 - 43445,
    });
    expect(result.fiscalSign).toMatch(/^\d+$/);
    expect(result.dateTime).toMatch(/^2026-03-02T/);
    expect(emulator.countReceiptsByTag("r-0001")).toBe(1);

    const doc = await device.findDocument(result.fdNumber);
    expect(doc).toMatchObject({
      fdNumber: result.fdNumber,
      documentType: 3,
      receiptTag: "r-0001",
      fiscalSign: result.fiscalSign,
    });
    expect(decodeTlv(doc!.tlv).length).toBeGreaterThan(3);

    expect(await device.recoverReceipt("r-0001", result.fdNumber)).toEqual({
      fiscalized: true,
      attributes: {
        fdNumber: result.fdNumber,
        fiscalSign: result.fiscalSign,
        fnNumber: result.fnNumber,
        shiftNumber: result.shiftNumber,
        dateTime: result.dateTime,
      },
    });
    expect(await device.recoverReceipt("r-other", result.fdNumber)).toEqual({
      fiscalized: false,
      lastFdNumber: result.fdNumber,
    });

    await device.xReport(cashier);
    const closed = await device.closeShift(cashier);
    expect(closed.shiftNumber).toBe(opened.shiftNumber);
    expect((await device.fnStatus()).shiftOpen).toBe(false);
  });

  it("writes a long receipt id as its 16-digit hash and recognizes it", async () => {
    await device.openShift(cashier);
    const id = "7f3c1f0e-5d1b-4c55-9a7e-2f0d1c9b8a77";
    const r = await device.fiscalizeReceipt(sampleReceipt(id));
    expect(emulator.countReceiptsByTag(receiptTagFor(id))).toBe(1);
    expect((await device.recoverReceipt(id, r.fdNumber)).fiscalized).toBe(true);
  });

  it("refuses bad input with a typed error before touching the device", async () => {
    await device.openShift(cashier);
    const last = (await device.fnStatus()).lastFdNumber;
    await expect(
      device.fiscalizeReceipt(sampleReceipt("r-bad", { payments: { cash: 100, electronic: 0 } })),
    ).rejects.toMatchObject({ kassaCode: "BAD_PARAMETERS" });
    const badVat = sampleReceipt("r-bad2");
    badVat.items[0]!.vat = "vat99";
    await expect(device.fiscalizeReceipt(badVat)).rejects.toThrow(/unknown VAT rate "vat99"/);
    // The content contract (ffd/content.ts): what the agent would have refused, the driver refuses
    // too, rather than cutting, replacing with "?" or rounding anything.
    const breaks: [string, (r: ReturnType<typeof sampleReceipt>) => void, RegExp][] = [
      ["an emoji", (r) => (r.items[0]!.name = "Сок 🍊"), /cannot be printed.*U\+1F34A/],
      ["a NUL", (r) => (r.items[0]!.name = "a\u0000"), /cannot be printed.*U\+0000/],
      ["typography not normalised", (r) => (r.items[0]!.name = "«Сок»"), /not in normalised form/],
      ["float noise", (r) => (r.items[0]!.quantity = 0.1 + 0.2), /at most 6 decimals/],
      ["a sum that is not round(price × quantity)", (r) => (r.items[0]!.sum += 1), /is not round/],
      [
        "a document the FN could not hand out",
        (r) => {
          r.items = Array.from({ length: 500 }, () => ({ ...r.items[0]!, name: "я".repeat(128) }));
          r.payments = { cash: r.items.reduce((s, i) => s + i.sum, 0), electronic: 0 };
        },
        /more than the FN hands out/,
      ],
    ];
    for (const [what, change, message] of breaks) {
      const receipt = sampleReceipt(`r-${what}`);
      change(receipt);
      await expect(device.fiscalizeReceipt(receipt), what).rejects.toMatchObject({
        kassaCode: "BAD_PARAMETERS",
        message: expect.stringMatching(message),
      });
    }
    expect((await device.fnStatus()).lastFdNumber).toBe(last);
    expect(emulator.status().receiptOpen).toBe(false);
  });

  it("a sale with no open shift says to open one", async () => {
    await expect(device.fiscalizeReceipt(sampleReceipt("r-1"))).rejects.toMatchObject({
      kassaCode: "SHIFT_CLOSED",
    });
    await expect(device.closeShift(cashier)).rejects.toMatchObject({ kassaCode: "SHIFT_CLOSED" });
  });

  it("opening a shift twice is a typed error", async () => {
    await device.openShift(cashier);
    await expect(device.openShift(cashier)).rejects.toMatchObject({ kassaCode: "SHIFT_ALREADY_OPEN" });
  });

  it("a refund is fiscalized as income return", async () => {
    await device.openShift(cashier);
    const r = await device.fiscalizeReceipt(
      sampleReceipt("r-ret", { kind: "income_return", payments: { cash: 43445, electronic: 0 } }),
    );
    const doc = emulator.receiptsByTag("r-ret")[0]!;
    expect(doc.operationType).toBe(2);
    expect(r.change).toBe(0);
  });

  it("cancels a receipt left open by a crash before the next sale", async () => {
    await device.openShift(cashier);
    emulator.device.receipt = { operationType: 1, items: [], hostTags: [] };
    await device.fiscalizeReceipt(sampleReceipt("r-after-crash"));
    expect(emulator.countReceiptsByTag("r-after-crash")).toBe(1);
  });

  it("paper out on an item: PAPER_OUT naming the receipt, not fiscalized, sells after paper is loaded", async () => {
    await device.openShift(cashier);
    emulator.paperOutAfterItems(1);
    const err = await device.fiscalizeReceipt(sampleReceipt("r-paper")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FiscalDeviceError);
    expect(err).toMatchObject({ kassaCode: "PAPER_OUT", uncertain: false });
    expect((err as Error).message).toMatch(/r-paper is saved/);
    expect(emulator.countReceiptsByTag("r-paper")).toBe(0);
    expect((await device.status()).paperPresent).toBe(false);
    emulator.paperIn();
    await device.fiscalizeReceipt(sampleReceipt("r-paper"));
    expect(emulator.countReceiptsByTag("r-paper")).toBe(1);
  });

  it("reports FN status, OFD status and relays an OFD message", async () => {
    await device.openShift(cashier);
    await device.fiscalizeReceipt(sampleReceipt("r-ofd"));
    const fn = await device.fnStatus();
    expect(fn).toMatchObject({ lifePhase: 3, shiftOpen: true, fnNumber: emulator.fn.fnNumber });
    const ofd = await device.ofdStatus();
    expect(ofd.unsentCount).toBeGreaterThan(0);
    expect(ofd.oldestUnsentAt).toMatch(/^2026-03-02T/);
    const msg = await device.readOfdMessage();
    expect(msg?.length).toBeGreaterThan(30);
  });
});
