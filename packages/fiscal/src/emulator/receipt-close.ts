/**
 * Closing the receipt in the KKT's RAM into a fiscal document — one path for FF45, the classic 85
 * and the correction closes (FF36, FF4A), so a receipt sold with either command set is the same
 * FFD 1.2 document (items 1059, totals 1020/1031/1081/1215–1217, host tags incl. 1192).
 */
import { Tag } from "../ffd/tags.ts";
import { type TlvField, tlv } from "../ffd/tlv.ts";
import {
  ERR_BAD_PARAMETERS,
  ERR_FN_SHIFT_OVER_24H,
  ERR_NON_CASH_OVER_TOTAL,
  ERR_NOT_IN_MODE,
  ERR_PAYMENTS_LESS_THAN_TOTAL,
  ERR_ZERO_TOTAL,
} from "../shtrih/error-codes.ts";
import type { FnDocument } from "./fn-document.ts";
import type { KktDevice } from "./kkt-device.ts";
import type { OpenItem, OpenReceipt } from "./open-receipt.ts";

/** Printed lines of a receipt's closing part, for print time. */
const LINES_PER_CLOSE = 8;

export interface Settlement {
  cash: number;
  /** Electronic (1081): FF45 slots 2–16 and classic types 2–4 (design assumption, see below). */
  electronic: number;
  prepayment?: number;
  credit?: number;
  counterProvision?: number;
  /** Kopecks taken off the total (FF45 rounding), 0–99. */
  rounding: number;
  /** Tax-system bits (1055). */
  taxSystem: number;
  /** The correction's 1173, from FF4A; null = as the host wrote it (FF0C) or 0. */
  correctionType?: number | null;
  /**
   * The error byte when the non-cash sums exceed what is due. The classic 85 answers 4D; FF45
   * keeps answering 33 (bad parameters), as the emulator always did — *unverified* which of the
   * two a real FF45 gives.
   */
  nonCashOverError?: number;
}

export interface Closed {
  change: number;
  doc: FnDocument;
}

/**
 * Validates and closes `d.receipt`. Returns the device's error byte when it refuses (nothing
 * changes then).
 */
export function closeOpenReceipt(d: KktDevice, s: Settlement): Closed | number {
  const now = d.now();
  const receipt = d.receipt;
  if (!receipt) return ERR_NOT_IN_MODE;
  const e = d.printer.check();
  if (e) return e;
  if (d.fn.shiftExpired(now)) return ERR_FN_SHIFT_OVER_24H;
  const fnError = d.fn.canIssue(now);
  if (fnError) return fnError;
  const gross = receipt.items.reduce((sum, i) => sum + i.sum, 0);
  const total = gross + (receipt.adjustment ?? 0);
  if (total <= 0 || receipt.items.length === 0) return ERR_ZERO_TOTAL;
  if (s.rounding > 99 || s.rounding > total) return ERR_BAD_PARAMETERS;
  const due = total - s.rounding;
  const nonCash = s.electronic + (s.prepayment ?? 0) + (s.credit ?? 0) + (s.counterProvision ?? 0);
  if (s.cash + nonCash < due) return ERR_PAYMENTS_LESS_THAN_TOTAL;
  if (nonCash > due) return s.nonCashOverError ?? ERR_NON_CASH_OVER_TOTAL;
  const change = s.cash + nonCash - due;
  const items = spreadAdjustment(receipt.items, receipt.adjustment ?? 0);
  const cash = s.cash - change;
  const correction = receipt.correction ? correctionFields(receipt.hostTags, s.correctionType) : null;
  const doc = d.fn.registerReceipt(now, {
    operationType: receipt.operationType,
    total: due,
    cash,
    electronic: s.electronic,
    ...(s.prepayment ? { prepayment: s.prepayment } : {}),
    ...(s.credit ? { credit: s.credit } : {}),
    ...(s.counterProvision ? { counterProvision: s.counterProvision } : {}),
    taxSystem: s.taxSystem,
    items: items.map((i) => tlv.stlv(Tag.ITEM, withUnit(i))),
    hostTags: correction ? correction.hostTags : receipt.hostTags,
    ...(correction ? { documentType: 31 as const, leadFields: correction.lead } : {}),
  });
  moveDrawer(d, receipt.operationType, cash);
  d.receipt = null;
  d.nextDocumentNumber();
  d.printer.print(LINES_PER_CLOSE + receipt.items.length);
  return { change, doc };
}

/** Income and expense return bring cash into the drawer; income return and expense take it out. */
export function moveDrawer(d: KktDevice, operationType: number, cash: number): void {
  const inward = operationType === 1 || operationType === 4;
  // Design assumption: the register's count never goes below zero (a real KKT refuses a cash
  // refund larger than the drawer with 0x46; Kassa's refunds through FF45 are not refused here).
  d.cashInDrawer = Math.max(0, d.cashInDrawer + (inward ? cash : -cash));
}

/**
 * FFD 1.2 has no receipt-level discount: an 86/87 or 85 discount is spread over the items'
 * 1043 sums in proportion (the last item takes the rounding remainder), so the items still add up
 * to 1020. Design assumption: the device's own spreading rule is not published.
 */
function spreadAdjustment(items: OpenItem[], adjustment: number): OpenItem[] {
  if (adjustment === 0) return items;
  const gross = items.reduce((s, i) => s + i.sum, 0);
  let left = adjustment;
  return items.map((item, i) => {
    const share = i === items.length - 1 ? left : Math.trunc((adjustment * item.sum) / gross);
    left -= share;
    const sum = item.sum + share;
    return {
      ...item,
      sum,
      fields: item.fields.map((f) => (f.tag === Tag.ITEM_SUM ? tlv.vln(Tag.ITEM_SUM, sum) : f)),
    };
  });
}

/**
 * A correction's 1173 and 1174: 1173 from FF4A or as the host wrote it; 1174 as the host wrote it,
 * or assembled from 1177/1178/1179 written one by one (how the vendor's JavaPOS driver writes the
 * basis). Design assumption: that the device assembles 1174 is inferred from that driver.
 */
function correctionFields(
  hostTags: TlvField[],
  correctionType: number | null | undefined,
): { lead: TlvField[]; hostTags: TlvField[] } {
  const basisParts = [Tag.CORRECTION_BASIS_NAME, Tag.CORRECTION_BASIS_DATE, Tag.CORRECTION_BASIS_NUMBER];
  const hostType = hostTags.find((t) => t.tag === Tag.CORRECTION_TYPE);
  const hostBasis = hostTags.find((t) => t.tag === Tag.CORRECTION_BASIS);
  const parts = hostTags.filter((t) => (basisParts as number[]).includes(t.tag));
  const rest = hostTags.filter(
    (t) =>
      t.tag !== Tag.CORRECTION_TYPE &&
      t.tag !== Tag.CORRECTION_BASIS &&
      !(basisParts as number[]).includes(t.tag),
  );
  const lead: TlvField[] = [
    correctionType === null || correctionType === undefined
      ? (hostType ?? tlv.byte(Tag.CORRECTION_TYPE, 0))
      : tlv.byte(Tag.CORRECTION_TYPE, correctionType),
  ];
  if (hostBasis) lead.push(hostBasis);
  else if (parts.length > 0) lead.push(tlv.stlv(Tag.CORRECTION_BASIS, parts));
  return { lead, hostTags: rest };
}

/** 2108 (measure unit) is mandatory in FFD 1.2; FF46 and 80 have no field for it, so default to pieces. */
export function withUnit(item: OpenItem): TlvField[] {
  const hasUnit = item.hostTags.some((t) => t.tag === Tag.MEASURE_UNIT);
  return hasUnit
    ? [...item.fields, ...item.hostTags]
    : [...item.fields, tlv.byte(Tag.MEASURE_UNIT, 0), ...item.hostTags];
}

export type { OpenReceipt };
