import { describe, expect, it } from "vitest";
import {
  cancelReceipt,
  closeReceipt,
  continuePrint,
  operation,
  printString,
  writeReceiptTlv,
} from "../shtrih/commands/receipt.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { ADMIN, CASHIER, item, openShiftOn, payment, receiptTag, setup } from "./test-fixtures.ts";

const status = (line: Parameters<typeof openShiftOn>[0]) => line.ok(shortStatus, { password: ADMIN });

describe("paper sensor and continue-print", () => {
  it("paper out mid-receipt after 2 items: item 3 refused (0x6B), then 0x58 until B0, then the receipt completes once", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.paperOutAfterItems(2);
    await line.ok(operation, item());
    await line.ok(operation, item());
    expect(await status(line)).toMatchObject({ mode: 8, submode: 2, receiptOperations: 2 });
    expect((await status(line)).flags & 0b10).toBe(0); // receipt roll sensor: empty

    expect(await line.call(operation, item())).toEqual({ error: 0x6b });
    expect(await line.call(closeReceipt, payment(30_000))).toEqual({ error: 0x6b });

    emulator.paperIn();
    expect(await status(line)).toMatchObject({ mode: 8, submode: 3 });
    expect(await line.call(operation, item())).toEqual({ error: 0x58 });
    expect(emulator.device.receipt?.items).toHaveLength(2);

    await line.ok(continuePrint, { password: ADMIN });
    expect(await status(line)).toMatchObject({ submode: 0 });
    await line.ok(operation, item());
    await line.ok(writeReceiptTlv, receiptTag("paper-1"));
    const closed = await line.ok(closeReceipt, payment(30_000));
    expect(emulator.receiptsByTag("paper-1")).toHaveLength(1);
    expect(emulator.receiptsByTag("paper-1")[0]).toMatchObject({ fdNumber: closed.fdNumber, total: 30_000 });
  });

  it("paper out while the closed receipt prints: the receipt is fiscalized, the rest prints after B0", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.faults.inject({ kind: "paper-out", command: closeReceipt.code });
    await line.ok(operation, item());
    await line.ok(writeReceiptTlv, receiptTag("paper-2"));
    const closed = await line.ok(closeReceipt, payment(10_000));
    expect(closed.fdNumber).toBe(3);
    expect(await status(line)).toMatchObject({ mode: 2, submode: 2 });
    expect(emulator.countReceiptsByTag("paper-2")).toBe(1);
    emulator.paperIn();
    expect(await status(line)).toMatchObject({ submode: 3 });
    await line.ok(continuePrint, { password: ADMIN });
    expect(await status(line)).toMatchObject({ submode: 0 });
  });

  it("paper out while idle (passive, submode 1): print commands get 0x6B; loading paper needs no B0", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.paperOut();
    expect(await status(line)).toMatchObject({ mode: 2, submode: 1 });
    expect(await line.call(printString, { password: CASHIER, flags: 2, text: "x" })).toEqual({ error: 0x6b });
    emulator.paperIn();
    expect(await status(line)).toMatchObject({ submode: 0 });
    await line.ok(printString, { password: CASHIER, flags: 2, text: "x" });
  });

  it("a receipt left open by paper-out can be cancelled once paper is back", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.paperOutAfterItems(1);
    await line.ok(operation, item());
    emulator.paperIn();
    await line.ok(continuePrint, { password: ADMIN });
    await line.ok(cancelReceipt, { password: CASHIER });
    expect(await status(line)).toMatchObject({ mode: 2, submode: 0 });
    expect(emulator.fn.lastFdNumber).toBe(2);
  });

  it("with print time, a print command while printing gets 0x50 (busy) until the printout ends", async () => {
    const { line, clock } = setup({ printMsPerLine: 20 });
    await openShiftOn(line); // 8 lines: 160 ms of printing
    expect(await status(line)).toMatchObject({ submode: 5 });
    expect(await line.call(operation, item())).toEqual({ error: 0x50 });
    clock.advance(159);
    expect(await line.call(operation, item())).toEqual({ error: 0x50 });
    clock.advance(1);
    expect(await status(line)).toMatchObject({ submode: 0 });
    await line.ok(operation, item());
  });

  it("the continue-print fault makes the device wait for B0 (0x58) without running the command", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.faults.inject({ kind: "continue-print", command: operation.code });
    expect(await line.call(operation, item())).toEqual({ error: 0x58 });
    expect(emulator.status().receiptOpen).toBe(false);
    await line.ok(continuePrint, { password: ADMIN });
    await line.ok(operation, item());
  });
});
