/** Shared set-up for the emulator's tests: a fake clock, an emulator, a TestLine on it, sale requests. */
import { encodeTlv, tlv } from "../ffd/tlv.ts";
import type { CloseReceiptRequest, OperationRequest } from "../shtrih/commands/receipt.ts";
import { closeReceipt, operation, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { openShift } from "../shtrih/commands/shift.ts";
import { FakeClock } from "./clock.ts";
import { KktEmulator, type KktEmulatorOptions } from "./kkt-emulator.ts";
import { TestLine } from "./test-line.ts";

export const CASHIER = 1;
export const ADMIN = 30;

export function item(over: Partial<OperationRequest> = {}): OperationRequest {
  return {
    password: CASHIER,
    operationType: 1,
    quantity: 1,
    price: 10_000,
    sum: null,
    tax: null,
    taxGroup: 1,
    department: 1,
    paymentMethod: 4,
    subject: 1,
    name: "Хлеб ржаной",
    ...over,
  };
}

export function payment(cash: number, electronic = 0): CloseReceiptRequest {
  return { password: CASHIER, payments: [cash, electronic], rounding: 0, taxes: [], taxSystem: 1, text: "" };
}

export function receiptTag(receiptId: string) {
  return { password: CASHIER, tlv: encodeTlv([tlv.string(1192, receiptId)]) };
}

export function setup(options: KktEmulatorOptions = {}) {
  const clock = new FakeClock("2026-03-02T08:00:00Z");
  const emulator = new KktEmulator({ clock, ...options });
  const line = new TestLine(emulator.connect());
  return { clock, emulator, line };
}

/** Opens a shift through the protocol. */
export async function openShiftOn(line: TestLine): Promise<void> {
  await line.ok(openShift, { password: ADMIN });
}

/** One complete sale of `items` items at 100.00, tagged with `receiptId`. */
export async function sell(line: TestLine, receiptId: string, items = 1) {
  for (let i = 0; i < items; i++) await line.ok(operation, item());
  await line.ok(writeReceiptTlv, receiptTag(receiptId));
  return line.ok(closeReceipt, payment(items * 10_000));
}
