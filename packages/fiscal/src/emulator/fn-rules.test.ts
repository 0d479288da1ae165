import { describe, expect, it } from "vitest";
import { fnStatus } from "../shtrih/commands/fn.ts";
import { closeReceipt, operation, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { openShift, zReport } from "../shtrih/commands/shift.ts";
import { shortStatus } from "../shtrih/commands/status.ts";
import { DAY_MS, HOUR_MS } from "./clock.ts";
import { ADMIN, item, openShiftOn, payment, receiptTag, sell, setup } from "./test-fixtures.ts";
import { relayAll } from "./test-ofd.ts";

describe("fake FN: shift over 24 h", () => {
  it("moves to mode 3 after 24 h and refuses sales with 0x4E until the shift is closed and reopened", async () => {
    const { line, clock, emulator } = setup();
    await openShiftOn(line);
    clock.advance(24 * HOUR_MS - 1000);
    expect(await line.ok(shortStatus, { password: ADMIN })).toMatchObject({ mode: 2 });
    await sell(line, "before-expiry");

    clock.advance(1000);
    expect(await line.ok(shortStatus, { password: ADMIN })).toMatchObject({ mode: 3 });
    const lastFd = emulator.fn.lastFdNumber;
    expect(await line.call(operation, item())).toEqual({ error: 0x4e });
    expect(emulator.fn.lastFdNumber).toBe(lastFd);

    await line.ok(zReport, { password: ADMIN });
    expect(await line.ok(shortStatus, { password: ADMIN })).toMatchObject({ mode: 4 });
    await line.ok(openShift, { password: ADMIN });
    const sold = await sell(line, "after-reopen");
    expect(sold.fdNumber).toBe(lastFd + 3); // Z report, shift open, then the receipt
    expect(emulator.fn.shiftNumber).toBe(2);
  });

  it("refuses to close (0x16) a receipt opened before the 24 h mark and let run past it", async () => {
    const { line, clock, emulator } = setup();
    await openShiftOn(line);
    clock.advance(23 * HOUR_MS);
    await line.ok(operation, item());
    await line.ok(writeReceiptTlv, receiptTag("straddles"));
    clock.advance(HOUR_MS);
    expect(await line.call(closeReceipt, payment(10_000))).toEqual({ error: 0x16 });
    expect(emulator.countReceiptsByTag("straddles")).toBe(0);
    expect(emulator.status().receiptOpen).toBe(true);
  });

  it("expireShift() and the shift-expiry fault put a fresh shift over 24 h at once", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    emulator.faults.inject({ kind: "shift-expiry", command: operation.code });
    expect(await line.call(operation, item())).toEqual({ error: 0x4e });
    expect(emulator.status()).toMatchObject({ mode: 3, shiftExpired: true });
  });
});

describe("fake FN: 30-day unsent rule", () => {
  it("blocks new documents with 0x14 once the oldest unsent one is 30 days old, until the OFD confirms it", async () => {
    const { line, clock, emulator } = setup();
    await openShiftOn(line);
    await sell(line, "old-sale");
    await line.ok(zReport, { password: ADMIN });
    clock.advance(30 * DAY_MS - 60_000);
    await line.ok(openShift, { password: ADMIN });
    await sell(line, "still-fine");
    clock.advance(60_000);

    expect(await line.call(operation, item())).toEqual({ error: 0x14 });
    expect(emulator.status().receiptOpen).toBe(false);
    // The cashier can still close the shift, but not open a new one.
    await line.ok(zReport, { password: ADMIN });
    expect(await line.call(openShift, { password: ADMIN })).toEqual({ error: 0x14 });

    const confirmed = await relayAll(line, emulator.fn.fnNumber);
    expect(confirmed).toBe(6); // shift open, receipt, Z, shift open, receipt, Z
    expect(emulator.status().unsentCount).toBe(0);
    await line.ok(openShift, { password: ADMIN });
    await sell(line, "after-relay");
    expect(emulator.countReceiptsByTag("after-relay")).toBe(1);
  });

  it("raises the FN warning flags: OFD timeout after 5 days unsent, key expiry in 30 and 3 days", async () => {
    const { line, clock } = setup({ fn: { validUntil: new Date("2026-05-01T08:00:00Z") } });
    await openShiftOn(line);
    await sell(line, "w-1");
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings).toBe(0);
    clock.advance(5 * DAY_MS);
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings).toBe(0b1000);
    await relayAll(line, "9999078900004312");
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings).toBe(0);
    clock.set("2026-04-02T09:00:00Z");
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings).toBe(0b0010);
    clock.set("2026-04-28T09:00:00Z");
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings).toBe(0b0011);
  });
});

describe("fake FN: storage", () => {
  it("refuses new receipts with 0x06 when the archive is full, and keeps what it has", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await sell(line, "last-one");
    emulator.fillFn();
    expect(await line.call(operation, item())).toEqual({ error: 0x06 });
    expect(await line.call(zReport, { password: ADMIN })).toEqual({ error: 0x06 });
    expect(emulator.countReceiptsByTag("last-one")).toBe(1);
  });

  it("raises the 90 %-full warning", async () => {
    const { line } = setup({ fn: { capacity: 10 } });
    await openShiftOn(line);
    for (let i = 0; i < 6; i++) await sell(line, `s-${i}`);
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings & 0b100).toBe(0);
    await sell(line, "s-6"); // 9 documents of 10
    expect((await line.ok(fnStatus, { password: ADMIN })).warnings & 0b100).toBe(0b100);
    await sell(line, "s-7");
    expect(await line.call(operation, item())).toEqual({ error: 0x06 });
  });
});
