/**
 * Opt-in: against a real Shtrih-M register. Runs only when KASSA_KKT_PORT names its serial port
 * (KASSA_KKT_BAUD, default 115200). Read-only by default: a sale makes a permanent fiscal document,
 * so it runs only with KASSA_KKT_ALLOW_SALE=1 (on a test FN!).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openShtrihSerial } from "./serial.ts";
import type { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

const port = process.env.KASSA_KKT_PORT;
const baudRate = Number(process.env.KASSA_KKT_BAUD ?? 115200);
const allowSale = process.env.KASSA_KKT_ALLOW_SALE === "1";
const title = port
  ? `real Shtrih-M register on ${port}`
  : "real Shtrih-M register (skipped: set KASSA_KKT_PORT=/dev/ttyUSB0 to run against real hardware)";

if (!port) console.info(`[kassa] ${title}`);

describe.skipIf(!port)(title, () => {
  let device: ShtrihDevice;
  beforeAll(async () => {
    device = await openShtrihSerial({ path: port!, baudRate });
  });
  afterAll(async () => {
    await device?.close();
  });

  it("answers status and FN status", async () => {
    const status = await device.status();
    expect(status.rawMode).toBeGreaterThanOrEqual(0);
    const fn = await device.fnStatus();
    expect(fn.fnNumber).toMatch(/^\d{16}$/);
    console.log(
      `KKT mode ${status.mode}, FN ${fn.fnNumber}, phase ${fn.lifePhase}, last FD ${fn.lastFdNumber}`,
    );
  });

  it("reads the last fiscal document back", async () => {
    const fn = await device.fnStatus();
    const doc = await device.findDocument(fn.lastFdNumber);
    expect(doc?.fdNumber).toBe(fn.lastFdNumber);
  });

  it("reports the OFD exchange status", async () => {
    const ofd = await device.ofdStatus();
    expect(ofd.unsentCount).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(!allowSale)(
    "sells one receipt and recognizes it by tag 1192 (KASSA_KKT_ALLOW_SALE=1)",
    async () => {
      const fn = await device.fnStatus();
      if (!fn.shiftOpen) await device.openShift({ name: "Kassa test" });
      const expected = (await device.fnStatus()).lastFdNumber + 1;
      const id = `hw-${Date.now().toString(36)}`;
      const r = await device.fiscalizeReceipt(
        sampleReceipt(id, { items: [sampleReceipt(id).items[0]!], payments: { cash: 11980, electronic: 0 } }),
      );
      expect(r.fdNumber).toBe(expected);
      expect((await device.recoverReceipt(id, expected)).fiscalized).toBe(true);
    },
  );
});
