import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeDocument } from "../ffd/document.ts";
import { encodeTlv, tlv } from "../ffd/tlv.ts";
import { describeOfdMessage } from "../ofd/confirmation.ts";
import { findDocument, readDocumentTlv, requestDocumentTlv } from "../shtrih/commands/fn.ts";
import { ofdStatus, unconfirmedCount } from "../shtrih/commands/ofd.ts";
import { closeReceipt, operation, writeOperationTlv, writeReceiptTlv } from "../shtrih/commands/receipt.ts";
import { zReport } from "../shtrih/commands/shift.ts";
import { FakeClock } from "./clock.ts";
import { KktEmulator } from "./kkt-emulator.ts";
import { ADMIN, CASHIER, item, openShiftOn, payment, receiptTag, sell, setup } from "./test-fixtures.ts";
import { isError, TestLine } from "./test-line.ts";
import { readOfdMessage, relayAll } from "./test-ofd.ts";

/** FF3A then FF3B until "no data": the document as one STLV, for the FFD decoder. */
async function readDocument(line: TestLine, fdNumber: number): Promise<Uint8Array> {
  const info = await line.ok(requestDocumentTlv, { password: ADMIN, fdNumber });
  const parts: Uint8Array[] = [];
  for (;;) {
    const block = await line.call(readDocumentTlv, { password: ADMIN });
    if (isError(block)) {
      expect(block.error).toBe(0x08);
      break;
    }
    parts.push(block.tlv);
  }
  const body = Buffer.concat(parts);
  expect(body.length).toBe(info.length);
  return encodeTlv([tlv.bytes(info.documentType, body)]);
}

describe("fiscal documents read back through the protocol", () => {
  it("a receipt comes back as FFD 1.2 TLV with the host's tags, items and the FN's attributes", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(operation, item({ name: "Молоко 3,2%", price: 8_990, quantity: 2, taxGroup: 2 }));
    await line.ok(writeOperationTlv, { password: CASHIER, tlv: encodeTlv([tlv.byte(2108, 41)]) });
    await line.ok(operation, item({ name: "Сыр", price: 45_050, quantity: 0.35, taxGroup: 1, subject: 1 }));
    await line.ok(writeReceiptTlv, receiptTag("rcpt-000042"));
    await line.ok(writeReceiptTlv, { password: CASHIER, tlv: encodeTlv([tlv.string(1021, "Петрова А.")]) });
    const closed = await line.ok(closeReceipt, payment(20_000, 13_748));

    const doc = decodeDocument(await readDocument(line, closed.fdNumber));
    expect(doc).toMatchObject({
      kind: "receipt",
      fdNumber: closed.fdNumber,
      fnNumber: emulator.fn.fnNumber,
      fiscalSign: String(closed.fiscalSign),
      shiftNumber: 1,
      calculationSign: 1,
      total: 17_980 + 15_768,
      cash: 17_980 + 15_768 - 13_748,
      electronic: 13_748,
      cashier: "Петрова А.",
      additionalAttribute: "rcpt-000042",
      items: [
        { name: "Молоко 3,2%", price: 8_990, quantity: 2, sum: 17_980, vatRate: 2, measureUnit: 41 },
        { name: "Сыр", price: 45_050, quantity: 0.35, sum: 15_768, vatRate: 1, measureUnit: 0 },
      ],
    });
    expect(closed.change).toBe(0);
    expect(emulator.receiptsByTag("rcpt-000042")[0]?.fiscalSign).toBe(closed.fiscalSign);
  });

  it("FF0A finds shift and receipt documents; an unknown number is 'no data' (0x08)", async () => {
    const { line } = setup();
    await openShiftOn(line);
    const closed = await sell(line, "find-me");
    expect(await line.ok(findDocument, { password: ADMIN, fdNumber: 2 })).toMatchObject({
      documentType: 2,
      details: { kind: "shift", shiftNumber: 1 },
    });
    expect(await line.ok(findDocument, { password: ADMIN, fdNumber: closed.fdNumber })).toMatchObject({
      documentType: 3,
      fiscalSign: closed.fiscalSign,
      ofdAcknowledged: false,
      details: { kind: "receipt", operationType: 1, total: 10_000 },
    });
    expect(await line.call(findDocument, { password: ADMIN, fdNumber: 99 })).toEqual({ error: 0x08 });
  });

  it("shift open and close reports decode too", async () => {
    const { line } = setup();
    await openShiftOn(line);
    await sell(line, "a");
    await line.ok(zReport, { password: ADMIN });
    expect(decodeDocument(await readDocument(line, 2))).toMatchObject({ kind: "shift_open", shiftNumber: 1 });
    expect(decodeDocument(await readDocument(line, 4))).toMatchObject({
      kind: "shift_close",
      shiftNumber: 1,
      receiptsCount: 1,
      unsentCount: 2,
    });
  });

  it("the OFD relay hands out session header + document, and a confirmation clears the unsent count", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await sell(line, "ofd-1");
    expect(await line.ok(unconfirmedCount, { password: ADMIN })).toEqual({ count: 2 });
    const status = await line.ok(ofdStatus, { password: ADMIN });
    expect(status).toMatchObject({ unsentCount: 2, firstUnsentFd: 2 });

    const message = await readOfdMessage(line);
    expect(message && describeOfdMessage(message)).toEqual({ fnNumber: emulator.fn.fnNumber, fdNumber: 2 });
    expect(await relayAll(line, emulator.fn.fnNumber)).toBe(2);
    expect(await line.ok(unconfirmedCount, { password: ADMIN })).toEqual({ count: 0 });
    expect(await line.ok(findDocument, { password: ADMIN, fdNumber: 3 })).toMatchObject({
      ofdAcknowledged: true,
    });
  });

  it("a rejection from the OFD leaves the document unsent; a foreign answer is refused with 0x20", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    expect(await relayAll(line, emulator.fn.fnNumber, 1)).toBe(1);
    expect(emulator.status().unsentCount).toBe(1);
    await expect(relayAll(line, "1111222233334444")).rejects.toThrow(/0x20/);
    expect(emulator.status().unsentCount).toBe(1);
  });
});

describe("state file", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a restarted emulator process keeps its documents, shift and unsent state", async () => {
    dir = mkdtempSync(join(tmpdir(), "kassa-kkt-"));
    const stateFile = join(dir, "kkt.json");
    const clock = new FakeClock("2026-03-02T08:00:00Z");
    const first = new KktEmulator({ clock, stateFile });
    const line = new TestLine(first.connect());
    await openShiftOn(line);
    const sold = await sell(line, "persist-1");
    first.close();

    const second = new KktEmulator({ clock, stateFile });
    expect(second.status()).toMatchObject({ shiftOpen: true, lastFdNumber: sold.fdNumber, unsentCount: 2 });
    expect(second.countReceiptsByTag("persist-1")).toBe(1);
    const again = new TestLine(second.connect());
    expect(decodeDocument(await readDocument(again, sold.fdNumber))).toMatchObject({
      additionalAttribute: "persist-1",
      fiscalSign: String(sold.fiscalSign),
    });
    const next = await sell(again, "persist-2");
    expect(next.fdNumber).toBe(sold.fdNumber + 1);
  });

  it("a corrupt state file stops the emulator with a message saying what to do", () => {
    dir = mkdtempSync(join(tmpdir(), "kassa-kkt-"));
    const stateFile = join(dir, "kkt.json");
    writeFileSync(stateFile, "{ not json");
    expect(() => new KktEmulator({ stateFile })).toThrow(/not valid JSON: fix or delete it/);
  });
});
