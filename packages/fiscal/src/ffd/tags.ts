/**
 * FFD 1.2 tag numbers with their value types (the subset Kassa writes or reads back).
 * Source: FNS order "форматы фискальных документов" (appendix 2, ФФД 1.2, public in
 * re-star-ru/shtrih-m-driver docs/pril2_ed_7_20662.docx) and the tag table of yandex/ofd
 * ofd/protocol.py. Maximum lengths are in bytes of the encoded value.
 */

/** Value types of the FFD TLV format. */
export type TlvType =
  /** 1-byte unsigned integer ("байт"). */
  | "byte"
  /** 2-byte unsigned little-endian integer. */
  | "u16"
  /** 4-byte unsigned little-endian integer ("целое"). */
  | "u32"
  /** Unsigned little-endian integer of variable (minimal) length, e.g. money in kopecks. */
  | "vln"
  /** Fixed-point: first byte = digits after the decimal point, then a VLN mantissa. */
  | "fvln"
  /** Seconds since 1970 as u32 LE. The FN stores the till's *local* time this way. */
  | "unixtime"
  /** CP866 text. */
  | "string"
  /** Raw bytes. */
  | "bytes"
  /** Nested TLV list. */
  | "stlv";

export interface TagInfo {
  name: string;
  type: TlvType;
  /** Maximum encoded value length, bytes (FFD 1.2). */
  maxLength?: number;
}

/** Tag numbers by name, for code that builds or reads documents. */
export const Tag = {
  // Document forms: the whole document is one STLV whose tag is the document type.
  REGISTRATION_REPORT: 1,
  SHIFT_OPEN_REPORT: 2,
  RECEIPT: 3,
  SHIFT_CLOSE_REPORT: 5,
  OPERATOR_CONFIRMATION: 7,
  CORRECTION_RECEIPT: 31,

  USER_INN: 1018,
  DATE_TIME: 1012,
  KKT_SERIAL_NUMBER: 1013,
  OFD_INN: 1017,
  RETAIL_ADDRESS: 1009,
  TOTAL: 1020,
  CASHIER: 1021,
  OFD_REPLY_CODE: 1022,
  QUANTITY: 1023,
  ITEM_NAME: 1030,
  CASH: 1031,
  KKT_REGISTRATION_NUMBER: 1037,
  SHIFT_NUMBER: 1038,
  FD_NUMBER: 1040,
  FN_NUMBER: 1041,
  RECEIPT_NUMBER_IN_SHIFT: 1042,
  ITEM_SUM: 1043,
  USER_NAME: 1048,
  FN_EXHAUSTION_SIGN: 1050,
  FN_REPLACE_SIGN: 1051,
  FN_MEMORY_OVERFLOW_SIGN: 1052,
  OFD_TIMEOUT_SIGN: 1053,
  CALCULATION_SIGN: 1054,
  TAX_SYSTEM: 1055,
  ITEM: 1059,
  /** Free text from the OFD; Kassa's OFD emulator puts its rejection reason here. */
  MESSAGE: 1066,
  FISCAL_SIGN: 1077,
  OPERATOR_FISCAL_SIGN: 1078,
  PRICE: 1079,
  ELECTRONIC: 1081,
  UNSENT_DOCUMENTS_COUNT: 1097,
  FIRST_UNSENT_DATE: 1098,
  VAT20_SUM: 1102,
  VAT10_SUM: 1103,
  VAT0_TURNOVER: 1104,
  NO_VAT_TURNOVER: 1105,
  VAT20_120_SUM: 1106,
  VAT10_110_SUM: 1107,
  FD_COUNT_IN_SHIFT: 1111,
  RECEIPTS_COUNT_IN_SHIFT: 1118,
  PRODUCT_CODE: 1163,
  CORRECTION_TYPE: 1173,
  CORRECTION_BASIS: 1174,
  CORRECTION_BASIS_NAME: 1177,
  CORRECTION_BASIS_DATE: 1178,
  CORRECTION_BASIS_NUMBER: 1179,
  RETAIL_PLACE: 1187,
  ADDITIONAL_RECEIPT_ATTRIBUTE: 1192,
  VAT_RATE: 1199,
  CASHIER_INN: 1203,
  FFD_VERSION: 1209,
  ITEM_SUBJECT: 1212,
  PAYMENT_METHOD: 1214,
  PREPAYMENT: 1215,
  CREDIT: 1216,
  COUNTER_PROVISION: 1217,
  MARKING_CODE: 2000,
  MEASURE_UNIT: 2108,
} as const;

export type TagName = keyof typeof Tag;

const table: Array<[number, TagInfo]> = [
  [Tag.REGISTRATION_REPORT, { name: "registration report", type: "stlv" }],
  [Tag.SHIFT_OPEN_REPORT, { name: "shift open report", type: "stlv" }],
  [Tag.RECEIPT, { name: "receipt", type: "stlv", maxLength: 32768 }],
  [4, { name: "strict reporting form (BSO)", type: "stlv" }],
  [Tag.SHIFT_CLOSE_REPORT, { name: "shift close report", type: "stlv" }],
  [6, { name: "fiscal mode close report", type: "stlv" }],
  [Tag.OPERATOR_CONFIRMATION, { name: "operator confirmation", type: "stlv" }],
  [11, { name: "registration change report", type: "stlv" }],
  [21, { name: "current settlement state report", type: "stlv" }],
  [Tag.CORRECTION_RECEIPT, { name: "correction receipt", type: "stlv" }],
  [41, { name: "correction BSO", type: "stlv" }],
  [1001, { name: "automatic mode sign", type: "byte" }],
  [1002, { name: "autonomous (offline) mode sign", type: "byte" }],
  [1008, { name: "buyer phone or e-mail", type: "string", maxLength: 64 }],
  [Tag.RETAIL_ADDRESS, { name: "settlement address", type: "string", maxLength: 256 }],
  [Tag.DATE_TIME, { name: "date and time", type: "unixtime" }],
  [Tag.KKT_SERIAL_NUMBER, { name: "KKT serial number", type: "string", maxLength: 20 }],
  [Tag.OFD_INN, { name: "OFD INN", type: "string", maxLength: 12 }],
  [Tag.USER_INN, { name: "user INN", type: "string", maxLength: 12 }],
  [Tag.TOTAL, { name: "total", type: "vln", maxLength: 6 }],
  [Tag.CASHIER, { name: "cashier", type: "string", maxLength: 64 }],
  [Tag.OFD_REPLY_CODE, { name: "OFD reply code", type: "byte" }],
  [Tag.QUANTITY, { name: "quantity", type: "fvln", maxLength: 8 }],
  [Tag.ITEM_NAME, { name: "item name", type: "string", maxLength: 128 }],
  [Tag.CASH, { name: "paid in cash", type: "vln", maxLength: 6 }],
  [Tag.KKT_REGISTRATION_NUMBER, { name: "KKT registration number", type: "string", maxLength: 20 }],
  [Tag.SHIFT_NUMBER, { name: "shift number", type: "u32" }],
  [Tag.FD_NUMBER, { name: "fiscal document number", type: "u32" }],
  [Tag.FN_NUMBER, { name: "FN number", type: "string", maxLength: 16 }],
  [Tag.RECEIPT_NUMBER_IN_SHIFT, { name: "receipt number in shift", type: "u32" }],
  [Tag.ITEM_SUM, { name: "item sum", type: "vln", maxLength: 6 }],
  [1046, { name: "OFD name", type: "string", maxLength: 256 }],
  [Tag.USER_NAME, { name: "user name", type: "string", maxLength: 256 }],
  [Tag.FN_EXHAUSTION_SIGN, { name: "FN resource exhaustion sign", type: "byte" }],
  [Tag.FN_REPLACE_SIGN, { name: "FN urgent replacement sign", type: "byte" }],
  [Tag.FN_MEMORY_OVERFLOW_SIGN, { name: "FN memory overflow sign", type: "byte" }],
  [Tag.OFD_TIMEOUT_SIGN, { name: "OFD answer timeout sign", type: "byte" }],
  [Tag.CALCULATION_SIGN, { name: "calculation sign", type: "byte" }],
  [Tag.TAX_SYSTEM, { name: "tax system", type: "byte" }],
  [1056, { name: "encryption sign", type: "byte" }],
  [Tag.ITEM, { name: "item", type: "stlv", maxLength: 1024 }],
  [1060, { name: "tax authority site", type: "string", maxLength: 256 }],
  [1062, { name: "tax systems", type: "byte" }],
  [Tag.MESSAGE, { name: "message", type: "string", maxLength: 256 }],
  [Tag.FISCAL_SIGN, { name: "fiscal sign of the document", type: "bytes", maxLength: 6 }],
  [Tag.OPERATOR_FISCAL_SIGN, { name: "operator's fiscal sign", type: "bytes", maxLength: 18 }],
  [Tag.PRICE, { name: "price per unit", type: "vln", maxLength: 6 }],
  [Tag.ELECTRONIC, { name: "paid electronically", type: "vln", maxLength: 6 }],
  [1084, { name: "additional user attribute", type: "stlv", maxLength: 320 }],
  [1085, { name: "additional user attribute name", type: "string", maxLength: 64 }],
  [1086, { name: "additional user attribute value", type: "string", maxLength: 256 }],
  [Tag.UNSENT_DOCUMENTS_COUNT, { name: "unsent documents count", type: "u32" }],
  [Tag.FIRST_UNSENT_DATE, { name: "first unsent document date", type: "unixtime" }],
  [Tag.VAT20_SUM, { name: "VAT 20% sum", type: "vln", maxLength: 6 }],
  [Tag.VAT10_SUM, { name: "VAT 10% sum", type: "vln", maxLength: 6 }],
  [Tag.VAT0_TURNOVER, { name: "VAT 0% turnover", type: "vln", maxLength: 6 }],
  [Tag.NO_VAT_TURNOVER, { name: "turnover without VAT", type: "vln", maxLength: 6 }],
  [Tag.VAT20_120_SUM, { name: "VAT 20/120 sum", type: "vln", maxLength: 6 }],
  [Tag.VAT10_110_SUM, { name: "VAT 10/110 sum", type: "vln", maxLength: 6 }],
  [Tag.FD_COUNT_IN_SHIFT, { name: "fiscal documents in shift", type: "u32" }],
  [1117, { name: "sender e-mail", type: "string", maxLength: 64 }],
  [Tag.RECEIPTS_COUNT_IN_SHIFT, { name: "receipts in shift", type: "u32" }],
  [Tag.PRODUCT_CODE, { name: "product code", type: "stlv" }],
  [Tag.CORRECTION_TYPE, { name: "correction type", type: "byte" }],
  [Tag.CORRECTION_BASIS, { name: "correction basis", type: "stlv" }],
  [Tag.CORRECTION_BASIS_NAME, { name: "correction basis name", type: "string", maxLength: 256 }],
  [Tag.CORRECTION_BASIS_DATE, { name: "correction basis date", type: "unixtime" }],
  [Tag.CORRECTION_BASIS_NUMBER, { name: "correction basis number", type: "string", maxLength: 32 }],
  [Tag.RETAIL_PLACE, { name: "settlement place", type: "string", maxLength: 256 }],
  [Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, { name: "additional receipt attribute", type: "string", maxLength: 16 }],
  [Tag.VAT_RATE, { name: "VAT rate", type: "byte" }],
  [Tag.CASHIER_INN, { name: "cashier INN", type: "string", maxLength: 12 }],
  [Tag.FFD_VERSION, { name: "FFD version", type: "byte" }],
  [Tag.ITEM_SUBJECT, { name: "subject of calculation", type: "byte" }],
  [Tag.PAYMENT_METHOD, { name: "payment method", type: "byte" }],
  [Tag.PREPAYMENT, { name: "prepayment (advance) sum", type: "vln", maxLength: 6 }],
  [Tag.CREDIT, { name: "credit sum", type: "vln", maxLength: 6 }],
  [Tag.COUNTER_PROVISION, { name: "counter-provision sum", type: "vln", maxLength: 6 }],
  [Tag.MARKING_CODE, { name: "marking code", type: "string", maxLength: 128 }],
  [Tag.MEASURE_UNIT, { name: "measure unit", type: "byte" }],
];

/** FFD 1.2 tags Kassa knows, by number. Unknown tags decode as raw bytes. */
export const FFD_TAGS: ReadonlyMap<number, TagInfo> = new Map(table);

export function tagInfo(tag: number): TagInfo | undefined {
  return FFD_TAGS.get(tag);
}

/** "1040 fiscal document number", or "tag 9999" for a tag Kassa does not know. */
export function describeTag(tag: number): string {
  const info = FFD_TAGS.get(tag);
  return info ? `${tag} ${info.name}` : `tag ${tag}`;
}
