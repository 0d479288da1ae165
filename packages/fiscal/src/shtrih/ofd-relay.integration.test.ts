/** The whole OFD path through the real driver: emulator FN → ShtrihDevice (FF30/FF31) → OFD emulator over TCP → FF32/FF33 back. */
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { OfdClient } from "../ofd/ofd-client.ts";
import { type OfdEmulator, startOfdEmulator } from "../ofd/ofd-emulator.ts";
import { relayUnsentDocuments } from "../ofd/relay.ts";
import { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

let ofd: OfdEmulator | null = null;
let emulator: KktEmulator | null = null;
afterEach(async () => {
  await ofd?.close();
  emulator?.close();
});

describe("OFD relay through the Shtrih-M driver", () => {
  it("sends every unsent document and the confirmations clear the FN's unsent count", async () => {
    emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
    const device = new ShtrihDevice(emulator.connect());
    await device.openShift({ name: "Иванова А." });
    await device.fiscalizeReceipt(sampleReceipt("ofd-1"));
    await device.fiscalizeReceipt(sampleReceipt("ofd-2"));
    const before = await device.ofdStatus();
    expect(before.unsentCount).toBeGreaterThanOrEqual(3);

    ofd = await startOfdEmulator({ port: 0 });
    const result = await relayUnsentDocuments(
      device,
      new OfdClient({ host: "127.0.0.1", port: ofd.port, timeoutMs: 5_000 }),
    );
    expect(result.lastError).toBeNull();
    expect(result.confirmed).toBe(before.unsentCount);
    expect(await device.ofdStatus()).toEqual({ unsentCount: 0, firstUnsentFd: null, oldestUnsentAt: null });
    expect(await device.readOfdMessage()).toBeNull();
    await device.close();
  });
});
