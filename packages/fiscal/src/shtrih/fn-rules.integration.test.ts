/** The FN's time rules as the driver reports them, on the emulator's fake clock (no sleeping). */
import { afterEach, describe, expect, it } from "vitest";
import { DAY_MS, FakeClock, HOUR_MS } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { OfdClient } from "../ofd/ofd-client.ts";
import { type OfdEmulator, startOfdEmulator } from "../ofd/ofd-emulator.ts";
import { relayUnsentDocuments } from "../ofd/relay.ts";
import { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

const cashier = { name: "Иванова А." };
let emulator: KktEmulator;
let device: ShtrihDevice;
let ofd: OfdEmulator | null = null;

function start(clock: FakeClock) {
  emulator = new KktEmulator({ clock });
  device = new ShtrihDevice(emulator.connect(), { enqTimeoutMs: 200, ackTimeoutMs: 200 });
}
afterEach(async () => {
  await device.close();
  emulator.close();
  await ofd?.close();
  ofd = null;
});

describe("FN time rules through the driver", () => {
  it("a shift over 24 h refuses sales with SHIFT_EXPIRED until Z report and a new shift", async () => {
    const clock = new FakeClock("2026-03-02T09:00:00Z");
    start(clock);
    await device.openShift(cashier);
    await device.fiscalizeReceipt(sampleReceipt("day-1"));
    clock.advance(24 * HOUR_MS + 60_000);

    expect((await device.status()).mode).toBe("shift_expired");
    const err = await device.fiscalizeReceipt(sampleReceipt("day-2")).catch((e: unknown) => e);
    expect(err).toMatchObject({ kassaCode: "SHIFT_EXPIRED", uncertain: false });
    expect((err as Error).message).toMatch(/Close it \(Z report\).*day-2 is kept/);
    expect(emulator.countReceiptsByTag("day-2")).toBe(0);

    await device.closeShift(cashier);
    await device.openShift(cashier);
    await device.fiscalizeReceipt(sampleReceipt("day-2"));
    expect(emulator.countReceiptsByTag("day-2")).toBe(1);
  });

  it("30 days without the OFD blocks the FN (FN_OFD_BLOCKED); relaying the documents unblocks it", async () => {
    const clock = new FakeClock("2026-03-02T09:00:00Z");
    start(clock);
    await device.openShift(cashier);
    await device.fiscalizeReceipt(sampleReceipt("m-1"));
    await device.closeShift(cashier);
    clock.advance(30 * DAY_MS + HOUR_MS);

    const ofdState = await device.ofdStatus();
    expect(ofdState.unsentCount).toBe(3);
    expect(ofdState.oldestUnsentAt).toBe("2026-03-02T09:00:00");
    await expect(device.openShift(cashier)).rejects.toMatchObject({
      kassaCode: "FN_OFD_BLOCKED",
      uncertain: false,
    });

    ofd = await startOfdEmulator({ port: 0 });
    await relayUnsentDocuments(
      device,
      new OfdClient({ host: "127.0.0.1", port: ofd.port, timeoutMs: 5_000 }),
    );
    expect((await device.ofdStatus()).unsentCount).toBe(0);
    await device.openShift(cashier);
    await device.fiscalizeReceipt(sampleReceipt("m-2"));
    expect(emulator.countReceiptsByTag("m-2")).toBe(1);
  });
});
