import { afterEach, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";
import type { RoundTrip } from "./transport.ts";

// The agent's RUM `serial.round_trip` comes from this hook: every command the driver sends is
// reported once, with its code, whether the device answered, and a duration.

let emulator: KktEmulator | null = null;
let device: ShtrihDevice | null = null;
afterEach(async () => {
  await device?.close();
  emulator?.close();
});

it("reports each command's round trip with its code, answered or not", async () => {
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z"), openShift: true });
  const trips: RoundTrip[] = [];
  device = new ShtrihDevice(emulator.connect(), { onRoundTrip: (trip) => trips.push(trip) });
  await device.fiscalizeReceipt(sampleReceipt("01KRUMROUNDTRIP0000000000A"));
  const codes = trips.map((trip) => trip.command);
  // Items (FF46) and the close (FF45) are among them, each answered, each with a duration.
  expect(codes).toContain(0xff46);
  expect(codes).toContain(0xff45);
  for (const trip of trips) {
    expect(trip.answered).toBe(true);
    expect(trip.durationMs).toBeGreaterThanOrEqual(0);
  }
});

it("an observer that throws never fails the command", async () => {
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
  device = new ShtrihDevice(emulator.connect(), {
    onRoundTrip: () => {
      throw new Error("observer bug");
    },
  });
  await expect(device.status()).resolves.toMatchObject({ paperPresent: true });
});
