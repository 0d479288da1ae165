/**
 * Correction receipts and FN validity: FF35 start correction receipt, FF36 make correction receipt,
 * FF4A make correction receipt V2, FF03 FN validity. Layouts: Shtrih-M protocol v1.17 «Начать
 * формирование чека коррекции» (FF35, 6 B → empty), «Сформировать чек коррекции» (FF36, 12 B →
 * receipt number 2 B, FD 4 B, fiscal sign 4 B), «Сформировать чек коррекции V2» (FF4A, 69 B → the
 * same answer), «Запрос срока действия ФН» (FF03 → YY MM DD, re-registrations left 1 B, done 1 B).
 * Cross-checked with the vendor's JavaPOS driver (FSStartCorrectionReceipt.java,
 * FSPrintCorrectionReceipt.java, FSPrintCorrectionReceipt2.java) and pyshtrih (FF03).
 */
import type { ByteReader, ByteWriter } from "../binary.ts";
import { defineCommand, type PasswordRequest, passwordEmptyCommand } from "./define.ts";

export const startCorrection = passwordEmptyCommand(0xff35, "start correction receipt");

export interface CorrectionAnswer {
  /** Receipt number within the shift. */
  receiptNumber: number;
  fdNumber: number;
  fiscalSign: number;
}

const writeCorrectionAnswer = (w: ByteWriter, a: CorrectionAnswer): void => {
  w.u16(a.receiptNumber, "receiptNumber").u32(a.fdNumber, "fdNumber").u32(a.fiscalSign, "fiscalSign");
};

const readCorrectionAnswer = (r: ByteReader): CorrectionAnswer => ({
  receiptNumber: r.u16("receipt number"),
  fdNumber: r.u32("FD number"),
  fiscalSign: r.u32("fiscal sign"),
});

export interface CorrectionRequest extends PasswordRequest {
  /** Kopecks. */
  total: number;
  /** 1054: 1 income correction, 3 expense correction (2 and 4 appear in FFD 1.1+ drivers). */
  operationType: number;
}

export const makeCorrection = defineCommand<CorrectionRequest, CorrectionAnswer>({
  code: 0xff36,
  name: "make correction receipt",
  writeRequest: (w, r) =>
    w.u32(r.password, "password").money(r.total, "total").u8(r.operationType, "operationType"),
  readRequest: (r) => ({
    password: r.u32("password"),
    total: r.money("total"),
    operationType: r.u8("operation type"),
  }),
  writeAnswer: writeCorrectionAnswer,
  readAnswer: readCorrectionAnswer,
});

export const CORRECTION_PAYMENT_SLOTS = 5;
export const CORRECTION_TAX_SLOTS = 6;

export interface CorrectionV2Request extends PasswordRequest {
  /** 1173: 0 on the shop's own initiative, 1 by an order of the tax authority. */
  correctionType: number;
  /** 1054 calculation sign, 1–4. */
  operationType: number;
  total: number;
  /** Five sums: cash (1031), electronic (1081), prepayment (1215), credit (1216), counter-provision (1217). */
  payments: number[];
  /** Six tax sums (VAT 20 %, 10 %, 0 % turnover, no-VAT turnover, 20/120, 10/110). */
  taxes: number[];
  /** Tax-system bit flags (1055). */
  taxSystem: number;
}

export const makeCorrectionV2 = defineCommand<CorrectionV2Request, CorrectionAnswer>({
  code: 0xff4a,
  name: "make correction receipt V2",
  writeRequest: (w, r) => {
    w.u32(r.password, "password")
      .u8(r.correctionType, "correctionType")
      .u8(r.operationType, "operationType")
      .money(r.total, "total");
    for (const [values, slots, what] of [
      [r.payments, CORRECTION_PAYMENT_SLOTS, "payments"],
      [r.taxes, CORRECTION_TAX_SLOTS, "taxes"],
    ] as const) {
      if (values.length > slots) throw new TypeError(`"${what}" takes ${slots} sums`);
      for (let i = 0; i < slots; i++) w.money(values[i] ?? 0, `${what}[${i}]`);
    }
    w.u8(r.taxSystem, "taxSystem");
  },
  readRequest: (r) => ({
    password: r.u32("password"),
    correctionType: r.u8("correction type"),
    operationType: r.u8("operation type"),
    total: r.money("total"),
    payments: Array.from({ length: CORRECTION_PAYMENT_SLOTS }, (_, i) => r.money(`payment ${i + 1}`)),
    taxes: Array.from({ length: CORRECTION_TAX_SLOTS }, (_, i) => r.money(`tax ${i + 1}`)),
    taxSystem: r.u8("tax system"),
  }),
  writeAnswer: writeCorrectionAnswer,
  readAnswer: readCorrectionAnswer,
});

export interface FnValidity {
  /** The FN's validity end (date only). */
  year: number;
  month: number;
  day: number;
  registrationsLeft: number;
  registrationsDone: number;
}

export const fnValidity = defineCommand<PasswordRequest, FnValidity>({
  code: 0xff03,
  name: "FN validity",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.year % 100, "year")
      .u8(a.month, "month")
      .u8(a.day, "day")
      .u8(a.registrationsLeft, "registrationsLeft")
      .u8(a.registrationsDone, "registrationsDone"),
  readAnswer: (r) => ({
    year: 2000 + r.u8("year"),
    month: r.u8("month"),
    day: r.u8("day"),
    // Older firmware answers only the date.
    registrationsLeft: r.remaining > 0 ? r.u8("registrations left") : 0,
    registrationsDone: r.remaining > 0 ? r.u8("registrations done") : 0,
  }),
});
