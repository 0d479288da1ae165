import type { KktEmulator } from "@kassa/fiscal/emulator";
import { receiptTagFor, ShtrihDevice } from "@kassa/fiscal/shtrih";
import type { DeviceSource } from "../src/fiscal/open-device.ts";

/** The in-process emulator behind the real driver, with short timeouts so fault tests run fast. */
export function emulatorSource(emulator: KktEmulator): DeviceSource {
  return {
    emulator,
    open: async () =>
      new ShtrihDevice(emulator.connect(), {
        enqTimeoutMs: 100,
        ackTimeoutMs: 100,
        answerTimeoutMs: () => 300,
        busyPollMs: 10,
      }),
    close: () => emulator.close(),
  };
}

/** How many fiscal documents on the emulator's FN carry this receipt's id (tag 1192). */
export function documentsFor(emulator: KktEmulator, receiptId: string): number {
  const tag = receiptTagFor(receiptId);
  return emulator.fn.allDocuments().filter((d) => d.receiptTag === tag).length;
}
