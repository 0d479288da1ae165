/** Shared by the ATOL tests: an emulator on a real port, a device pointed at it, a sale. */
import type { FiscalReceipt } from "../device/fiscal-device.ts";
import { FakeClock } from "../emulator/clock.ts";
import { receiptTagFor } from "../shtrih/receipt-tag.ts";
import { AtolDevice, type AtolDeviceOptions } from "./atol-device.ts";
import { AtolEmulator, type AtolEmulatorOptions } from "./atol-emulator.ts";

export const CASHIER = { name: "Иванова А.", inn: "500100732259" };

export function sale(receiptId: string, overrides: Partial<FiscalReceipt> = {}): FiscalReceipt {
  return {
    receiptId,
    kind: "income",
    items: [
      {
        name: "Хлеб",
        price: 5990,
        quantity: 2,
        sum: 11980,
        vat: "vat10",
        subject: "goods",
        paymentMethod: "full_payment",
        unit: "pcs",
      },
      {
        name: "Сыр",
        price: 89900,
        quantity: 0.35,
        sum: 31465,
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        unit: "kg",
      },
    ],
    payments: { cash: 50000, electronic: 0 },
    taxSystem: "osn",
    cashier: CASHIER,
    ...overrides,
  };
}

export interface AtolRig {
  emulator: AtolEmulator;
  device: AtolDevice;
  clock: FakeClock;
  /** Fiscal documents on the FN carrying this receipt's tag 1192. */
  documentsFor(receiptId: string): number;
  close(): Promise<void>;
}

export async function atolRig(
  emulatorOptions: AtolEmulatorOptions = {},
  deviceOptions: Partial<AtolDeviceOptions> = {},
): Promise<AtolRig> {
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const emulator = new AtolEmulator({ clock, openShift: true, ...emulatorOptions });
  await emulator.listen(0);
  const device = new AtolDevice({
    url: emulator.url,
    pollMs: 2,
    requestTimeoutMs: 2000,
    taskTimeoutMs: 2000,
    ...deviceOptions,
  });
  return {
    emulator,
    device,
    clock,
    documentsFor: (id) => emulator.fn.allDocuments().filter((d) => d.receiptTag === receiptTagFor(id)).length,
    close: () => emulator.close(),
  };
}
