import type { TFiscalAttributes } from "@kassa/api/agent";
import { AtolDevice, AtolEmulator } from "@kassa/fiscal/atol";
import type { FiscalDevice, FiscalReceipt } from "@kassa/fiscal/device";
import { KktEmulator } from "@kassa/fiscal/emulator";
import { ShtrihDevice } from "@kassa/fiscal/shtrih";
import { withOffset } from "../fiscal/with-offset.ts";

// Test support for the sync fault matrix run per register family (issue 13). What the sync worker
// carries from the register is each receipt's fiscal attributes (`receipt_fiscalized`): their
// shapes differ by family (Shtrih-M's FN wall-clock time, ATOL's fiscalParams with an offset, and
// either one read back from the FN by recovery), and the central server must take every one of them.

export type RegisterFamily = "shtrih" | "atol";

/** KASSA_SYNC_FAMILIES narrows a run to one family (default: both). */
export const REGISTER_FAMILIES = (process.env.KASSA_SYNC_FAMILIES ?? "shtrih,atol").split(
  ",",
) as RegisterFamily[];

/** How often a receipt's attributes come from recovery (the FN read back) instead of the answer. */
const RECOVERED_EVERY = 10;

/**
 * Fiscalizes a sale per receipt id on the family's emulator through its real driver, and returns
 * the attributes as the agent stores them (fiscal-queue.ts: the register's time given the till's
 * offset). Every 10th is taken from recoverReceipt, the path after a lost answer.
 */
export async function fiscalizeOn(
  family: RegisterFamily,
  receiptIds: readonly string[],
): Promise<Map<string, TFiscalAttributes>> {
  const { device, close } = await openRegister(family);
  const out = new Map<string, TFiscalAttributes>();
  try {
    await device.openShift({ name: "Ivanova A." });
    for (const [i, receiptId] of receiptIds.entries()) {
      const expectedFd = (await device.fnStatus()).lastFdNumber + 1;
      const answer = await device.fiscalizeReceipt(sale(receiptId));
      const recovered = i % RECOVERED_EVERY === 0 ? await device.recoverReceipt(receiptId, expectedFd) : null;
      const a = recovered?.fiscalized ? recovered.attributes : answer;
      out.set(receiptId, {
        fdNumber: a.fdNumber,
        fiscalSign: a.fiscalSign,
        fnNumber: a.fnNumber,
        shiftNumber: a.shiftNumber,
        dateTime: withOffset(a.dateTime),
      });
    }
  } finally {
    await device.close();
    await close();
  }
  return out;
}

async function openRegister(
  family: RegisterFamily,
): Promise<{ device: FiscalDevice; close: () => Promise<void> }> {
  if (family === "atol") {
    const emulator = new AtolEmulator();
    await emulator.listen(0);
    return { device: new AtolDevice({ url: emulator.url, pollMs: 1 }), close: () => emulator.close() };
  }
  const emulator = new KktEmulator();
  return { device: new ShtrihDevice(emulator.connect()), close: async () => emulator.close() };
}

/** The sale test-support.ts's enqueueReceipt writes, as the register receives it. */
function sale(receiptId: string): FiscalReceipt {
  const item = (name: string, price: number, quantity: number) => ({
    name,
    price,
    quantity,
    sum: price * quantity,
    vat: "vat20" as const,
    subject: "goods" as const,
    paymentMethod: "full_payment" as const,
    unit: "pcs" as const,
  });
  return {
    receiptId,
    kind: "income",
    items: [
      item("Lens Essilor 1.6", 450000, 2),
      item("Frame Ray-Ban RB5154", 1290000, 1),
      item("Lens cloth", 19900, 1),
    ],
    payments: { cash: 0, electronic: 2209900 },
    taxSystem: "osn",
    cashier: { name: "Ivanova A." },
  };
}
