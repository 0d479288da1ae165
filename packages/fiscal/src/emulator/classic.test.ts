/**
 * The classic command set, the device commands and corrections on the emulator, byte by byte
 * through the protocol (TestLine): the documents they make, and the error byte each mode and
 * submode gives (Shtrih-M protocol v1.17 «Коды ошибок»).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeDocument } from "../ffd/document.ts";
import { Tag } from "../ffd/tags.ts";
import { decodeTlv, encodeTlv, findField, type TlvField, tlv } from "../ffd/tlv.ts";
import { encodeText } from "../shtrih/binary.ts";
import {
  allowance,
  beep,
  cancelReceipt,
  cashIn,
  cashOut,
  closeReceipt,
  closeReceiptClassic,
  confirmDate,
  cutPaper,
  deviceType,
  discount,
  fieldStructure,
  findDocument,
  fnValidity,
  fullStatus,
  MoneyRegister,
  makeCorrection,
  makeCorrectionV2,
  openReceipt,
  operation,
  readDocumentTlv,
  readMoneyRegister,
  readTable,
  repeatDocument,
  requestDocumentTlv,
  sale,
  saleReturn,
  setDate,
  setTime,
  startCorrection,
  tableStructure,
  writeReceiptTlv,
  writeTable,
  zReport,
} from "../shtrih/commands/index.ts";
import { FakeClock } from "./clock.ts";
import { KktEmulator } from "./kkt-emulator.ts";
import { ADMIN, CASHIER, item, openShiftOn, payment, receiptTag, setup } from "./test-fixtures.ts";
import { isError, TestLine } from "./test-line.ts";

const classicItem = (over: Partial<Parameters<typeof sale.encodeRequest>[0]> = {}) => ({
  password: CASHIER,
  quantity: 1,
  price: 10_000,
  department: 1,
  taxes: [1],
  text: "Хлеб ржаной",
  ...over,
});
const classicPay = (cash: number, type2 = 0, discountPercent = 0) => ({
  password: CASHIER,
  payments: [cash, type2],
  discountPercent,
  taxes: [],
  text: "",
});

async function documentBody(line: TestLine, fdNumber: number): Promise<Uint8Array> {
  const info = await line.ok(requestDocumentTlv, { password: ADMIN, fdNumber });
  const parts: Uint8Array[] = [];
  for (;;) {
    const block = await line.call(readDocumentTlv, { password: ADMIN });
    if (isError(block)) break;
    parts.push(block.tlv);
  }
  const body = Uint8Array.from(Buffer.concat(parts));
  expect(body.length).toBe(info.length);
  return body;
}

const withoutIdentity = (fields: TlvField[]) =>
  fields.filter(
    (f) =>
      ![Tag.DATE_TIME, Tag.FD_NUMBER, Tag.FISCAL_SIGN, Tag.RECEIPT_NUMBER_IN_SHIFT].includes(f.tag as never),
  );

describe("classic receipt (8D, 80–83, 86/87, 85)", () => {
  it("makes the same FFD 1.2 document as FF46/FF45 for the same sale", async () => {
    const { line } = setup();
    await openShiftOn(line);
    await line.ok(openReceipt, { password: CASHIER, receiptType: 0 });
    await line.ok(sale, classicItem({ text: "Молоко", price: 8_990, quantity: 2, taxes: [2] }));
    await line.ok(sale, classicItem({ text: "Сыр", price: 45_050, quantity: 0.35 }));
    await line.ok(writeReceiptTlv, receiptTag("classic-1"));
    const classic = await line.ok(closeReceiptClassic, classicPay(20_000, 13_748));
    expect(classic.change).toBe(0);

    await line.ok(operation, item({ name: "Молоко", price: 8_990, quantity: 2, taxGroup: 2 }));
    await line.ok(operation, item({ name: "Сыр", price: 45_050, quantity: 0.35 }));
    await line.ok(writeReceiptTlv, receiptTag("classic-1"));
    const v2 = await line.ok(closeReceipt, payment(20_000, 13_748));

    const a = decodeTlv(await documentBody(line, v2.fdNumber - 1));
    const b = decodeTlv(await documentBody(line, v2.fdNumber));
    expect(withoutIdentity(a)).toEqual(withoutIdentity(b));
    const found = await line.ok(findDocument, { password: ADMIN, fdNumber: v2.fdNumber - 1 });
    expect(found.details).toEqual({ kind: "receipt", operationType: 1, total: 33_748 });
  });

  it("spreads 86/87 and the 85 percent discount over the items so they still add up to 1020", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(sale, classicItem({ price: 10_000 })); // an item without 8D opens a sale receipt
    await line.ok(sale, classicItem({ price: 5_000, text: "Чай" }));
    await line.ok(discount, { password: CASHIER, sum: 1_500, taxes: [], text: "Скидка" });
    await line.ok(allowance, { password: CASHIER, sum: 500, taxes: [], text: "" });
    const closed = await line.ok(closeReceiptClassic, classicPay(20_000, 0, 1_000)); // 10 %
    // 150.00 − 15.00 + 5.00 = 140.00; −10 % = 126.00; change 74.00
    expect(closed.change).toBe(7_400);
    const doc = decodeDocument(Uint8Array.from(encodeTlv([tlv.bytes(3, emulator.fn.lastDocument!.tlv)])));
    expect(doc).toMatchObject({ kind: "receipt", total: 12_600, cash: 12_600 });
    if (doc.kind !== "receipt") return;
    expect(doc.items.reduce((s, i) => s + i.sum, 0)).toBe(12_600);
  });

  it("return of sale (8D type 2 + 82) is 1054 = 2 and takes its cash out of the drawer", async () => {
    const { line } = setup();
    await openShiftOn(line);
    await line.ok(cashIn, { password: CASHIER, sum: 50_000 });
    await line.ok(openReceipt, { password: CASHIER, receiptType: 2 });
    await line.ok(saleReturn, classicItem({ price: 12_000 }));
    await line.ok(closeReceiptClassic, classicPay(12_000));
    const fn = await line.ok(findDocument, { password: ADMIN, fdNumber: 3 });
    expect(fn.details).toEqual({ kind: "receipt", operationType: 2, total: 12_000 });
    const drawer = await line.ok(readMoneyRegister, {
      password: CASHIER,
      register: MoneyRegister.cashInDrawer,
    });
    expect(drawer.value).toBe(38_000);
  });

  it("88 cancels a classic receipt: no fiscal document", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(openReceipt, { password: CASHIER, receiptType: 0 });
    await line.ok(sale, classicItem());
    await line.ok(cancelReceipt, { password: CASHIER });
    expect(emulator.fn.lastFdNumber).toBe(2);
    expect(emulator.status().receiptOpen).toBe(false);
  });

  it("8D with the shift closed opens a shift first (FFD shift-open report, then the receipt)", async () => {
    const { line, emulator } = setup();
    await line.ok(openReceipt, { password: CASHIER, receiptType: 0 });
    expect(emulator.fn.shiftOpen).toBe(true);
    expect(emulator.fn.lastDocument?.documentType).toBe(2);
  });

  it("answers the device's error byte in each mode and submode, changing nothing", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    // no receipt open (mode 2)
    expect(await line.call(closeReceiptClassic, classicPay(100))).toEqual({ error: 0x73 });
    expect(await line.call(discount, { password: CASHIER, sum: 1, taxes: [], text: "" })).toEqual({
      error: 0x73,
    });
    expect(await line.call(openReceipt, { password: CASHIER, receiptType: 4 })).toEqual({ error: 0x33 });
    expect(await line.call(sale, classicItem({ taxes: [9] }))).toEqual({ error: 0x33 });
    expect(await line.call(sale, classicItem({ department: 17 }))).toEqual({ error: 0x33 });
    expect(await line.call(sale, classicItem({ password: 77 }))).toEqual({ error: 0x4f });
    // a sale receipt open (mode 8, status 0)
    await line.ok(openReceipt, { password: CASHIER, receiptType: 0 });
    expect(await line.call(openReceipt, { password: CASHIER, receiptType: 0 })).toEqual({ error: 0x4a });
    expect(await line.call(saleReturn, classicItem())).toEqual({ error: 0x49 });
    expect(await line.call(closeReceiptClassic, classicPay(100))).toEqual({ error: 0x8e });
    await line.ok(sale, classicItem({ price: 1_000 }));
    expect(await line.call(discount, { password: CASHIER, sum: 1_000, taxes: [], text: "" })).toEqual({
      error: 0x5a,
    });
    expect(await line.call(closeReceiptClassic, classicPay(999))).toEqual({ error: 0x45 });
    expect(await line.call(closeReceiptClassic, classicPay(0, 1_001))).toEqual({ error: 0x4d });
    expect(await line.call(closeReceiptClassic, classicPay(1_000, 0, 10_000))).toEqual({ error: 0x33 });
    expect(await line.call(cashIn, { password: CASHIER, sum: 100 })).toEqual({ error: 0x4a });
    expect(await line.call(repeatDocument, { password: CASHIER })).toEqual({ error: 0x4a });
    // paper out (submode 1): 6B, then the receipt still closes once paper is back
    emulator.paperOut();
    expect(await line.call(sale, classicItem())).toEqual({ error: 0x6b });
    expect(await line.call(closeReceiptClassic, classicPay(1_000))).toEqual({ error: 0x6b });
    emulator.paperIn();
    expect(emulator.fn.lastFdNumber).toBe(2);
    await line.ok(closeReceiptClassic, classicPay(1_000));
    expect(emulator.fn.lastFdNumber).toBe(3);
    // the shift over 24 h (mode 3): the KKT's 4E
    emulator.expireShift();
    expect(await line.call(openReceipt, { password: CASHIER, receiptType: 0 })).toEqual({ error: 0x4e });
    expect(await line.call(sale, classicItem())).toEqual({ error: 0x4e });
    expect(emulator.fn.lastFdNumber).toBe(3);
  });

  it("8C repeats the last document without making a new one; with none it answers 56", async () => {
    const { line, emulator } = setup();
    expect(await line.call(repeatDocument, { password: CASHIER })).toEqual({ error: 0x56 });
    await openShiftOn(line);
    const printed = emulator.device.printer.linesPrinted;
    await line.ok(repeatDocument, { password: CASHIER });
    expect(emulator.device.printer.linesPrinted).toBeGreaterThan(printed);
    expect(emulator.fn.lastFdNumber).toBe(2);
  });
});

describe("cash in / out (50/51) and the drawer's money register 241 (1A)", () => {
  it("counts cash in, cash sales and cash out; refuses to pay out more than the drawer holds", async () => {
    const { line, emulator } = setup();
    expect(await line.call(cashIn, { password: CASHIER, sum: 100 })).toEqual({ error: 0x73 });
    await openShiftOn(line);
    const first = await line.ok(cashIn, { password: CASHIER, sum: 100_000 });
    const second = await line.ok(cashOut, { password: CASHIER, sum: 30_000 });
    expect(second.documentNumber).toBe(first.documentNumber + 1);
    await line.ok(sale, classicItem({ price: 2_500 }));
    await line.ok(closeReceiptClassic, classicPay(5_000)); // 25.00 kept, 25.00 change
    expect(await line.call(cashOut, { password: CASHIER, sum: 72_501 })).toEqual({ error: 0x46 });
    expect(await line.call(cashIn, { password: CASHIER, sum: 0 })).toEqual({ error: 0x33 });
    const drawer = await line.ok(readMoneyRegister, {
      password: CASHIER,
      register: MoneyRegister.cashInDrawer,
    });
    expect(drawer).toEqual({ operator: CASHIER, value: 72_500 });
    // the register is non-volatile: a power loss keeps it
    emulator.powerCycle();
    expect((await line.ok(readMoneyRegister, { password: CASHIER, register: 241 })).value).toBe(72_500);
    expect(emulator.status().cashInDrawer).toBe(72_500);
    expect(emulator.fn.lastFdNumber).toBe(3); // cash slips are not fiscal documents
  });
});

describe("the KKT's counters in the state file", () => {
  it("keep the drawer's cash and the document number across an emulator restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kassa-kkt-"));
    try {
      const stateFile = join(dir, "kkt.json");
      const clock = new FakeClock("2026-03-02T08:00:00Z");
      const first = new KktEmulator({ clock, stateFile, openShift: true });
      const line = new TestLine(first.connect());
      const moved = await line.ok(cashIn, { password: CASHIER, sum: 25_000 });
      first.close();
      const second = new KktEmulator({ clock, stateFile });
      expect(second.status().cashInDrawer).toBe(25_000);
      expect(second.device.documentNumber).toBe(moved.documentNumber);
      second.close();
      // A file from before the counters existed starts them at 0.
      const old = JSON.parse(readFileSync(stateFile, "utf8"));
      delete old.kkt;
      writeFileSync(stateFile, JSON.stringify(old));
      expect(new KktEmulator({ clock, stateFile }).status().cashInDrawer).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("device commands", () => {
  it("FC answers without a password, whatever data follows", async () => {
    const { line } = setup({
      deviceType: {
        type: 0,
        subtype: 2,
        protocolVersion: 1,
        protocolSubversion: 17,
        model: 6,
        language: 0,
        name: "ШТРИХ-М-01Ф",
      },
    });
    const a = await line.ok(deviceType, {});
    expect(a).toMatchObject({ model: 6, subtype: 2, name: "ШТРИХ-М-01Ф" });
    const raw = await line.command(0xfc, Uint8Array.of(1, 0, 0, 0));
    expect(raw.error).toBe(0);
  });

  it("13 beeps and 25 cuts (partial or full; other types are refused, paper out is 6B)", async () => {
    const { line, emulator } = setup();
    expect(await line.ok(beep, { password: CASHIER })).toEqual({ operator: CASHIER });
    expect(await line.ok(cutPaper, { password: CASHIER, cutType: 0 })).toEqual({ operator: CASHIER });
    expect(await line.call(cutPaper, { password: CASHIER, cutType: 2 })).toEqual({ error: 0x33 });
    emulator.paperOut();
    expect(await line.call(cutPaper, { password: CASHIER, cutType: 1 })).toEqual({ error: 0x6b });
  });

  it("tables: structure, defaults, a written cashier name read back; bad cells are 33", async () => {
    const { line } = setup();
    expect(await line.ok(tableStructure, { password: ADMIN, table: 2 })).toEqual({
      name: "ПАРОЛИ КАССИРОВ И АДМИНИСТРАТОРОВ",
      rows: 30,
      fields: 2,
    });
    expect(await line.ok(fieldStructure, { password: ADMIN, table: 6, field: 1 })).toMatchObject({
      type: 0,
      size: 2,
      max: 9999,
    });
    const rate = await line.ok(readTable, { password: ADMIN, table: 6, row: 1, field: 1 });
    expect(Array.from(rate.value)).toEqual([0xd0, 0x07]); // 20.00 %
    const name = new Uint8Array(21);
    name.set(encodeText("Иванова А.", "cp1251"));
    await line.ok(writeTable, { password: ADMIN, table: 2, row: 1, field: 2, value: name });
    expect((await line.ok(readTable, { password: ADMIN, table: 2, row: 1, field: 2 })).value).toEqual(name);
    expect(await line.call(readTable, { password: ADMIN, table: 2, row: 31, field: 1 })).toEqual({
      error: 0x33,
    });
    expect(await line.call(readTable, { password: ADMIN, table: 99, row: 1, field: 1 })).toEqual({
      error: 0x33,
    });
    expect(
      await line.call(writeTable, {
        password: ADMIN,
        table: 6,
        row: 1,
        field: 1,
        value: Uint8Array.of(0x10, 0x27),
      }),
    ).toEqual({ error: 0x33 }); // 100.00 % is out of the field's range
    expect(await line.call(readTable, { password: CASHIER, table: 6, row: 1, field: 1 })).toEqual({
      error: 0x4f,
    });
  });

  it("21 sets the time at once; 22 takes effect only when 23 confirms the same date", async () => {
    const { line } = setup();
    await line.ok(setTime, { password: ADMIN, hour: 10, minute: 20, second: 30 });
    let s = await line.ok(fullStatus, { password: ADMIN });
    expect([s.dateTime.hour, s.dateTime.minute]).toEqual([10, 20]);
    await line.ok(setDate, { password: ADMIN, year: 2026, month: 12, day: 1 });
    expect(await line.call(confirmDate, { password: ADMIN, year: 2026, month: 12, day: 2 })).toEqual({
      error: 0x7c,
    });
    await line.ok(setDate, { password: ADMIN, year: 2026, month: 12, day: 1 });
    await line.ok(confirmDate, { password: ADMIN, year: 2026, month: 12, day: 1 });
    s = await line.ok(fullStatus, { password: ADMIN });
    expect([s.dateTime.year, s.dateTime.month, s.dateTime.day, s.dateTime.hour]).toEqual([2026, 12, 1, 10]);
    expect(await line.call(setDate, { password: ADMIN, year: 2026, month: 2, day: 30 })).toEqual({
      error: 0x7d,
    });
  });

  it("FF03 gives the FN's validity date", async () => {
    const { line, emulator } = setup();
    const a = await line.ok(fnValidity, { password: ADMIN });
    const until = new Date(emulator.fn.validUntilMs);
    expect([a.year, a.month, a.day]).toEqual([until.getFullYear(), until.getMonth() + 1, until.getDate()]);
  });
});

describe("correction receipts (FF35 … FF36 / FF4A)", () => {
  it("FF35 + FF46 + FF0C + FF4A make an FFD 1.2 correction receipt (type 31) with 1173, 1174 and 1192", async () => {
    const { line, emulator } = setup();
    await openShiftOn(line);
    await line.ok(startCorrection, { password: ADMIN });
    await line.ok(operation, item({ price: 7_000 }));
    const basis = tlv.stlv(Tag.CORRECTION_BASIS, [
      tlv.unixtime(Tag.CORRECTION_BASIS_DATE, Date.UTC(2026, 2, 1) / 1000),
      tlv.string(Tag.CORRECTION_BASIS_NUMBER, "12-34"),
    ]);
    await line.ok(writeReceiptTlv, { password: ADMIN, tlv: encodeTlv([basis]) });
    await line.ok(writeReceiptTlv, receiptTag("corr-1"));
    const made = await line.ok(makeCorrectionV2, {
      password: ADMIN,
      correctionType: 1,
      operationType: 1,
      total: 7_000,
      payments: [5_000, 2_000],
      taxes: [],
      taxSystem: 1,
    });
    expect(made.fdNumber).toBe(3);
    expect(made.receiptNumber).toBe(1);
    const found = await line.ok(findDocument, { password: ADMIN, fdNumber: 3 });
    expect(found).toMatchObject({
      documentType: 31,
      details: { kind: "receipt", operationType: 1, total: 7_000 },
    });
    const fields = decodeTlv(await documentBody(line, 3));
    expect(findField(fields, Tag.CORRECTION_TYPE)).toMatchObject({ value: 1 });
    expect(findField(fields, Tag.CORRECTION_BASIS)).toMatchObject({ type: "stlv" });
    expect(findField(fields, Tag.ADDITIONAL_RECEIPT_ATTRIBUTE)).toMatchObject({ value: "corr-1" });
    expect(findField(fields, Tag.CASH)).toMatchObject({ value: 5_000 });
    expect(findField(fields, Tag.ELECTRONIC)).toMatchObject({ value: 2_000 });
    expect(findField(fields, Tag.ITEM)).toBeDefined();
    expect(emulator.correctionsByTag("corr-1")).toHaveLength(1);
    expect(emulator.receiptsByTag("corr-1")).toHaveLength(0);
  });

  it("FF36 closes it with the total in cash and assembles 1174 from 1178/1179 written one by one", async () => {
    const { line } = setup();
    await openShiftOn(line);
    await line.ok(startCorrection, { password: ADMIN });
    await line.ok(operation, item({ operationType: 3, price: 4_000 }));
    await line.ok(writeReceiptTlv, {
      password: ADMIN,
      tlv: encodeTlv([
        tlv.unixtime(Tag.CORRECTION_BASIS_DATE, Date.UTC(2026, 2, 1) / 1000),
        tlv.string(Tag.CORRECTION_BASIS_NUMBER, "7"),
      ]),
    });
    const made = await line.ok(makeCorrection, { password: ADMIN, total: 4_000, operationType: 3 });
    const fields = decodeTlv(await documentBody(line, made.fdNumber));
    expect(findField(fields, Tag.CALCULATION_SIGN)).toMatchObject({ value: 3 });
    expect(findField(fields, Tag.CORRECTION_TYPE)).toMatchObject({ value: 0 });
    const basis = findField(fields, Tag.CORRECTION_BASIS);
    expect(basis?.type === "stlv" && basis.value.map((f) => f.tag)).toEqual([1178, 1179]);
    expect(findField(fields, Tag.CASH)).toMatchObject({ value: 4_000 });
  });

  it("refuses out of mode and with mismatched data, changing nothing", async () => {
    const { line, emulator } = setup();
    expect(await line.call(startCorrection, { password: ADMIN })).toEqual({ error: 0x73 }); // shift closed
    await openShiftOn(line);
    expect(await line.call(startCorrection, { password: CASHIER })).toEqual({ error: 0x4f });
    expect(await line.call(makeCorrection, { password: ADMIN, total: 100, operationType: 1 })).toEqual({
      error: 0x73,
    });
    await line.ok(startCorrection, { password: ADMIN });
    expect(await line.call(startCorrection, { password: ADMIN })).toEqual({ error: 0x4a });
    expect(await line.call(sale, classicItem())).toEqual({ error: 0x49 });
    expect(await line.call(makeCorrection, { password: ADMIN, total: 100, operationType: 1 })).toEqual({
      error: 0x8e,
    });
    await line.ok(operation, item({ price: 1_000 }));
    const v2 = {
      password: ADMIN,
      correctionType: 0,
      operationType: 1,
      total: 999,
      payments: [999],
      taxes: [],
      taxSystem: 1,
    };
    expect(await line.call(makeCorrectionV2, v2)).toEqual({ error: 0x33 }); // total ≠ items
    expect(await line.call(makeCorrectionV2, { ...v2, total: 1_000, operationType: 2 })).toEqual({
      error: 0x33,
    });
    expect(await line.call(makeCorrectionV2, { ...v2, total: 1_000, correctionType: 2 })).toEqual({
      error: 0x33,
    });
    emulator.expireShift();
    expect(await line.call(makeCorrectionV2, { ...v2, total: 1_000, payments: [1_000] })).toEqual({
      error: 0x16,
    });
    expect(emulator.fn.lastFdNumber).toBe(2);
    await line.ok(cancelReceipt, { password: CASHIER });
    await line.ok(zReport, { password: ADMIN });
  });
});
