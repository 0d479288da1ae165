/**
 * Byte-exact vectors for the classic, device and correction commands: each request and answer is
 * written out from the field tables of Shtrih-M protocol v1.17 (section named per case; message
 * lengths as the document states them: 80–83 60 B, 85 71 B, 86/87 54 B, 8D 6 B, 50/51 10 B,
 * FF35 6 B, FF36 12 B, FF4A 69 B) with the LRC computed by hand, not by the code under test. The
 * 88 pair is a real trace (re-star-ru/shtrih-m-driver docs/out.txt: "адм отмена чека").
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../binary.ts";
import { encodeAnswerFrame, encodeFrame, FrameReader } from "../frame.ts";
import {
  allowance,
  beep,
  cancelReceipt,
  cashIn,
  cashOut,
  closeReceiptClassic,
  confirmDate,
  cutPaper,
  deviceType,
  discount,
  fnValidity,
  makeCorrection,
  makeCorrectionV2,
  openReceipt,
  readMoneyRegister,
  readTable,
  repeatDocument,
  sale,
  saleReturn,
  setDate,
  setTime,
  startCorrection,
  writeTable,
} from "./index.ts";

const CP1251_IVANOVA = "C8 E2 E0 ED EE E2 E0 20 C0 2E"; // "Иванова А."
const pad = (n: number) => Array(n).fill("00").join(" ");

/** The answer frame's data after the error byte. */
function answerData(hex: string): Uint8Array {
  const [ev] = new FrameReader().push(fromHex(hex));
  if (ev?.kind !== "frame") throw new Error(`not a frame: ${hex}`);
  return ev.frame.data.subarray(1);
}

const requests: [string, string, Uint8Array, string][] = [
  ["«Получить тип устройства» FC (no password)", "FC", deviceType.encodeRequest({}), "02 01 FC FD"],
  ["«Гудок» 13", "13", beep.encodeRequest({ password: 1 }), "02 05 13 01 00 00 00 17"],
  [
    "«Отрезка чека» 25, partial",
    "25",
    cutPaper.encodeRequest({ password: 1, cutType: 1 }),
    "02 06 25 01 00 00 00 01 23",
  ],
  [
    "«Запрос денежного регистра» 1A, register 241",
    "1A",
    readMoneyRegister.encodeRequest({ password: 1, register: 241 }),
    "02 06 1A 01 00 00 00 F1 EC",
  ],
  [
    "«Запись таблицы» 1E, table 2 row 1 field 2",
    "1E",
    writeTable.encodeRequest({
      password: 30,
      table: 2,
      row: 1,
      field: 2,
      value: fromHex(`${CP1251_IVANOVA} ${pad(11)}`),
    }),
    `02 1E 1E 1E 00 00 00 02 01 00 02 ${CP1251_IVANOVA} ${pad(11)} 1A`,
  ],
  [
    "«Чтение таблицы» 1F, table 6 row 1 field 1",
    "1F",
    readTable.encodeRequest({ password: 30, table: 6, row: 1, field: 1 }),
    "02 09 1F 1E 00 00 00 06 01 00 01 0E",
  ],
  [
    "«Программирование времени» 21",
    "21",
    setTime.encodeRequest({ password: 30, hour: 12, minute: 34, second: 56 }),
    "02 08 21 1E 00 00 00 0C 22 38 21",
  ],
  [
    "«Программирование даты» 22",
    "22",
    setDate.encodeRequest({ password: 30, year: 2026, month: 12, day: 1 }),
    "02 08 22 1E 00 00 00 01 0C 1A 23",
  ],
  [
    "«Подтверждение программирования даты» 23",
    "23",
    confirmDate.encodeRequest({ password: 30, year: 2026, month: 12, day: 1 }),
    "02 08 23 1E 00 00 00 01 0C 1A 22",
  ],
  [
    "«Внесение» 50, 100.00",
    "50",
    cashIn.encodeRequest({ password: 1, sum: 10000 }),
    "02 0A 50 01 00 00 00 10 27 00 00 00 6C",
  ],
  [
    "«Выплата» 51, 25.00",
    "51",
    cashOut.encodeRequest({ password: 1, sum: 2500 }),
    "02 0A 51 01 00 00 00 C4 09 00 00 00 97",
  ],
  [
    "«Открыть чек» 8D, return of sale",
    "8D",
    openReceipt.encodeRequest({ password: 1, receiptType: 2 }),
    "02 06 8D 01 00 00 00 02 88",
  ],
  [
    "«Продажа» 80: 1.5 × 59.90, department 1, tax group 2",
    "80",
    sale.encodeRequest({ password: 1, quantity: 1.5, price: 5990, department: 1, taxes: [2], text: "Хлеб" }),
    `02 3C 80 01 00 00 00 DC 05 00 00 00 66 17 00 00 00 01 02 00 00 00 D5 EB E5 E1 ${pad(36)} 2C`,
  ],
  [
    "«Возврат продажи» 82: 1 × 899.00, tax group 1",
    "82",
    saleReturn.encodeRequest({
      password: 1,
      quantity: 1,
      price: 89900,
      department: 0,
      taxes: [1],
      text: "Сыр",
    }),
    `02 3C 82 01 00 00 00 E8 03 00 00 00 2C 5F 01 00 00 00 01 00 00 00 D1 FB F0 ${pad(37)} FD`,
  ],
  [
    "«Закрытие чека» 85: cash 100.00, type 2 50.00, discount 2.50 %",
    "85",
    closeReceiptClassic.encodeRequest({
      password: 1,
      payments: [10000, 5000],
      discountPercent: 250,
      taxes: [],
      text: "Спасибо",
    }),
    `02 47 85 01 00 00 00 10 27 00 00 00 88 13 00 00 00 ${pad(10)} FA 00 00 00 00 00 D1 EF E0 F1 E8 E1 EE ${pad(33)} 5D`,
  ],
  [
    "«Скидка» 86: 1.00",
    "86",
    discount.encodeRequest({ password: 1, sum: 100, taxes: [], text: "Скидка" }),
    `02 36 86 01 00 00 00 64 00 00 00 00 00 00 00 00 D1 EA E8 E4 EA E0 ${pad(34)} E8`,
  ],
  [
    "«Надбавка» 87: 1.00",
    "87",
    allowance.encodeRequest({ password: 1, sum: 100, taxes: [], text: "" }),
    `02 36 87 01 00 00 00 64 ${pad(48)} D4`,
  ],
  [
    "«Аннулирование чека» 88 (trace)",
    "88",
    cancelReceipt.encodeRequest({ password: 30 }),
    "02 05 88 1E 00 00 00 93",
  ],
  ["«Повтор документа» 8C", "8C", repeatDocument.encodeRequest({ password: 1 }), "02 05 8C 01 00 00 00 88"],
  [
    "«Запрос срока действия ФН» FF03",
    "FF03",
    fnValidity.encodeRequest({ password: 30 }),
    "02 06 FF 03 1E 00 00 00 E4",
  ],
  [
    "«Начать формирование чека коррекции» FF35",
    "FF35",
    startCorrection.encodeRequest({ password: 30 }),
    "02 06 FF 35 1E 00 00 00 D2",
  ],
  [
    "«Сформировать чек коррекции» FF36: 100.00, income",
    "FF36",
    makeCorrection.encodeRequest({ password: 30, total: 10000, operationType: 1 }),
    "02 0C FF 36 1E 00 00 00 10 27 00 00 00 01 ED",
  ],
  [
    "«Сформировать чек коррекции V2» FF4A: by order, income, 60.00 cash + 40.00 electronic",
    "FF4A",
    makeCorrectionV2.encodeRequest({
      password: 30,
      correctionType: 1,
      operationType: 1,
      total: 10000,
      payments: [6000, 4000],
      taxes: [],
      taxSystem: 1,
    }),
    `02 45 FF 4A 1E 00 00 00 01 01 10 27 00 00 00 70 17 00 00 00 A0 0F 00 00 00 ${pad(45)} 01 10`,
  ],
];

describe("request vectors (protocol v1.17)", () => {
  for (const [section, code, data, hex] of requests) {
    it(section, () => {
      expect(toHex(encodeFrame(Number.parseInt(code, 16), data))).toBe(hex);
    });
  }
});

describe("answer vectors (protocol v1.17)", () => {
  it("FC: type, subtype, protocol 1.17, model, language, name", () => {
    const hex = "02 13 FC 00 00 00 01 11 00 00 D8 D2 D0 C8 D5 2D CC 2D 30 31 D4 21";
    const a = deviceType.decodeAnswer(answerData(hex));
    expect(a).toEqual({
      type: 0,
      subtype: 0,
      protocolVersion: 1,
      protocolSubversion: 17,
      model: 0,
      language: 0,
      name: "ШТРИХ-М-01Ф",
    });
    expect(toHex(encodeAnswerFrame(0xfc, 0, deviceType.encodeAnswer(a)))).toBe(hex);
  });
  it("13 / 25 / 8D: the operator", () => {
    expect(beep.decodeAnswer(answerData("02 03 13 00 01 11"))).toEqual({ operator: 1 });
    expect(cutPaper.decodeAnswer(answerData("02 03 25 00 01 27"))).toEqual({ operator: 1 });
    expect(openReceipt.decodeAnswer(answerData("02 03 8D 00 01 8F"))).toEqual({ operator: 1 });
  });
  it("1A: operator and a 6-byte register (1500.00)", () => {
    const hex = "02 09 1A 00 01 F0 49 02 00 00 00 A9";
    expect(readMoneyRegister.decodeAnswer(answerData(hex))).toEqual({ operator: 1, value: 150000 });
    expect(
      toHex(encodeAnswerFrame(0x1a, 0, readMoneyRegister.encodeAnswer({ operator: 1, value: 150000 }))),
    ).toBe(hex);
  });
  it("1F: the field's raw bytes (20.00 % as a 2-byte BIN)", () => {
    expect(toHex(readTable.decodeAnswer(answerData("02 04 1F 00 D0 07 CC")).value)).toBe("D0 07");
  });
  it("50: operator and the running document number", () => {
    expect(cashIn.decodeAnswer(answerData("02 05 50 00 01 05 00 51"))).toEqual({
      operator: 1,
      documentNumber: 5,
    });
  });
  it("85: operator and change (10.15)", () => {
    const hex = "02 08 85 00 01 F7 03 00 00 00 78";
    expect(closeReceiptClassic.decodeAnswer(answerData(hex))).toEqual({ operator: 1, change: 1015 });
    expect(
      toHex(encodeAnswerFrame(0x85, 0, closeReceiptClassic.encodeAnswer({ operator: 1, change: 1015 }))),
    ).toBe(hex);
  });
  it("88 (trace): operator 30", () => {
    expect(cancelReceipt.decodeAnswer(answerData("02 03 88 00 1E 95"))).toEqual({ operator: 30 });
  });
  it("FF03: validity YY MM DD, registrations left and done", () => {
    const hex = "02 08 FF 03 00 1B 0C 1F 0B 01 F6";
    const a = { year: 2027, month: 12, day: 31, registrationsLeft: 11, registrationsDone: 1 };
    expect(fnValidity.decodeAnswer(answerData(hex))).toEqual(a);
    expect(toHex(encodeAnswerFrame(0xff03, 0, fnValidity.encodeAnswer(a)))).toBe(hex);
  });
  it("FF35: empty; FF36: receipt number 2 B, FD 4 B, fiscal sign 4 B", () => {
    expect(toHex(encodeAnswerFrame(0xff35, 0, startCorrection.encodeAnswer({})))).toBe("02 03 FF 35 00 C9");
    const hex = "02 0D FF 36 00 03 00 1D 00 00 00 F3 60 35 FF 83";
    const a = { receiptNumber: 3, fdNumber: 29, fiscalSign: 4281688307 };
    expect(makeCorrection.decodeAnswer(answerData(hex))).toEqual(a);
    expect(toHex(encodeAnswerFrame(0xff36, 0, makeCorrectionV2.encodeAnswer(a)))).toBe(hex);
  });
});

describe("classic layouts refuse what the wire cannot carry", () => {
  it("a quantity with more than three decimals", () => {
    expect(() =>
      sale.encodeRequest({ password: 1, quantity: 0.0005, price: 100, department: 0, taxes: [], text: "x" }),
    ).toThrow(TypeError);
  });
  it("a 41-byte item text", () => {
    expect(() =>
      sale.encodeRequest({
        password: 1,
        quantity: 1,
        price: 100,
        department: 0,
        taxes: [],
        text: "x".repeat(41),
      }),
    ).toThrow(TypeError);
  });
});
