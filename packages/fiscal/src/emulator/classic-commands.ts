/**
 * The classic receipt set and cash in/out: 8D open receipt, 80–83 item, 85 close, 86/87 discount
 * and allowance, 8C repeat document, 50/51 cash in/out. They fill the same receipt in RAM as FF46,
 * and 85 closes it through the same path as FF45 (receipt-close.ts), so a classic sale is the same
 * FFD 1.2 document, readable through FF0A / FF3A / FF3B, and every fault of fault-plan.ts (keyed by
 * command code) applies to them alike.
 *
 * Error bytes by mode (Shtrih-M protocol v1.17 «Коды ошибок»): a print command without paper 6B,
 * while printing 50, waiting for continue-print 58; the shift over 24 h 4E; 8D with a receipt open
 * 4A; an item of another receipt type 49; 85/86/87 with no receipt 73 (mode 8 is required, as FF45);
 * a discount larger than the receipt 5A; 8C with nothing to repeat 56; cash out over the drawer 46.
 */
import { Tag } from "../ffd/tags.ts";
import { type TlvField, tlv } from "../ffd/tlv.ts";
import {
  allowance,
  CLASSIC_QUANTITY_SCALE,
  calculationSignOfReceiptType,
  cashIn,
  cashOut,
  closeReceiptClassic,
  discount,
  openReceipt,
  purchase,
  purchaseReturn,
  repeatDocument,
  sale,
  saleReturn,
} from "../shtrih/commands/classic.ts";
import {
  ERR_BAD_PARAMETERS,
  ERR_DISCOUNT_OVER_RECEIPT,
  ERR_NO_DOCUMENT_TO_REPEAT,
  ERR_NOT_ENOUGH_CASH,
  ERR_NOT_IN_MODE,
  ERR_OPERATION_NOT_IN_RECEIPT_TYPE,
  ERR_RECEIPT_OPEN,
  ERR_SHIFT_OVER_24H,
} from "../shtrih/error-codes.ts";
import { handle, type KktDevice } from "./kkt-device.ts";
import { closeOpenReceipt, moveDrawer } from "./receipt-close.ts";

const LINES_PER_ITEM = 2;
const LINES_SHIFT_OPEN = 8;
const LINES_CASH_SLIP = 6;
const MAX_MONEY = 2 ** 40 - 1;
/** 1212 = 1 (goods) and 1214 = 4 (full payment): the classic item commands carry neither. */
const DEFAULT_SUBJECT = 1;
const DEFAULT_PAYMENT_METHOD = 4;
/** 1199 = 6 (no VAT) for tax byte 0 ("нет"). */
const VAT_NONE = 6;
/** The tax system the emulated register is registered for (1062 of its registration report: 1 = general). */
const REGISTERED_TAX_SYSTEM = 1;

/**
 * Opening a receipt: the print engine must be free and the shift not over 24 h. With the shift
 * closed the register opens one first, as Shtrih-M firmware does (the vendor's JavaPOS driver
 * checks the shift before a receipt for exactly this reason: "код начала чека автоматом открывает
 * смену"). Returns 0 or the error byte.
 */
function beginReceipt(d: KktDevice, operationType: number): number {
  const now = d.now();
  const e = d.printer.check();
  if (e) return e;
  if (d.fn.shiftExpired(now)) return ERR_SHIFT_OVER_24H;
  const fnError = d.fn.canIssue(now);
  if (fnError) return fnError;
  if (!d.fn.shiftOpen) {
    d.fn.openShift(now, []);
    d.nextDocumentNumber();
    d.printer.print(LINES_SHIFT_OPEN);
  }
  d.receipt = { operationType, items: [], hostTags: [] };
  return 0;
}

function registerItem(device: KktDevice, def: typeof sale, receiptType: number): void {
  const sign = calculationSignOfReceiptType(receiptType)!;
  device.register(
    def.code,
    handle(def, (d, req, operator) => {
      if (d.receipt && (d.receipt.correction || d.receipt.operationType !== sign)) {
        return ERR_OPERATION_NOT_IN_RECEIPT_TYPE;
      }
      if (req.department > 16) return ERR_BAD_PARAMETERS;
      if (!(req.quantity > 0) || req.text.length === 0) return ERR_BAD_PARAMETERS;
      const units = Math.round(req.quantity * CLASSIC_QUANTITY_SCALE);
      const sum = Math.round((req.price * units) / CLASSIC_QUANTITY_SCALE);
      if (sum > MAX_MONEY) return ERR_BAD_PARAMETERS;
      // The first tax byte names the row of the tax table (the same rows as FF46's tax group);
      // 0 is "no tax". Design assumption: bytes 2–4 (several taxes on one item) are not FFD 1.2.
      const group = req.taxes[0] ?? 0;
      const vat = group === 0 ? VAT_NONE : d.taxGroups[group];
      if (vat === undefined) return ERR_BAD_PARAMETERS;
      if (!d.receipt) {
        // An item without 8D opens a receipt of its own type.
        const e = beginReceipt(d, sign);
        if (e) return e;
      } else {
        const e = d.printer.check();
        if (e) return e;
        if (d.fn.shiftExpired(d.now())) return ERR_SHIFT_OVER_24H;
      }
      const fields: TlvField[] = [
        tlv.string(Tag.ITEM_NAME, req.text),
        tlv.vln(Tag.PRICE, req.price),
        tlv.fvln(Tag.QUANTITY, units / CLASSIC_QUANTITY_SCALE),
        tlv.vln(Tag.ITEM_SUM, sum),
        tlv.byte(Tag.VAT_RATE, vat),
        tlv.byte(Tag.ITEM_SUBJECT, DEFAULT_SUBJECT),
        tlv.byte(Tag.PAYMENT_METHOD, DEFAULT_PAYMENT_METHOD),
      ];
      d.receipt!.items.push({ fields, hostTags: [], sum });
      d.printer.print(LINES_PER_ITEM);
      return { operator };
    }),
  );
}

export function registerClassicCommands(device: KktDevice): void {
  device.register(
    openReceipt.code,
    handle(openReceipt, (d, req, operator) => {
      if (d.receipt) return ERR_RECEIPT_OPEN;
      const sign = calculationSignOfReceiptType(req.receiptType);
      if (sign === null) return ERR_BAD_PARAMETERS;
      const e = beginReceipt(d, sign);
      if (e) return e;
      return { operator };
    }),
  );

  registerItem(device, sale, 0);
  registerItem(device, purchase, 1);
  registerItem(device, saleReturn, 2);
  registerItem(device, purchaseReturn, 3);

  for (const def of [discount, allowance]) {
    const sign = def === discount ? -1 : 1;
    device.register(
      def.code,
      handle(def, (d, req, operator) => {
        const receipt = d.receipt;
        if (!receipt) return ERR_NOT_IN_MODE;
        const e = d.printer.check();
        if (e) return e;
        if (req.sum === 0) return ERR_BAD_PARAMETERS;
        const gross = receipt.items.reduce((s, i) => s + i.sum, 0);
        const adjustment = (receipt.adjustment ?? 0) + sign * req.sum;
        if (gross + adjustment < 0 || (sign < 0 && gross + adjustment === 0))
          return ERR_DISCOUNT_OVER_RECEIPT;
        if (gross + adjustment > MAX_MONEY) return ERR_BAD_PARAMETERS;
        receipt.adjustment = adjustment;
        d.printer.print(1);
        return { operator };
      }),
    );
  }

  device.register(
    closeReceiptClassic.code,
    handle(closeReceiptClassic, (d, req, operator) => {
      const receipt = d.receipt;
      if (!receipt) return ERR_NOT_IN_MODE;
      if (req.discountPercent > 9999) return ERR_BAD_PARAMETERS;
      const [cash = 0, ...others] = req.payments;
      let adjustment = receipt.adjustment ?? 0;
      if (req.discountPercent > 0) {
        const gross = receipt.items.reduce((s, i) => s + i.sum, 0) + adjustment;
        adjustment -= Math.round((gross * req.discountPercent) / 10_000);
      }
      const before = receipt.adjustment;
      receipt.adjustment = adjustment;
      const closed = closeOpenReceipt(d, {
        cash,
        // Design assumption: payment types 2–4 count as electronic (1081); the register's table of
        // payment types decides it on hardware.
        electronic: others.reduce((s, p) => s + p, 0),
        rounding: 0,
        taxSystem: REGISTERED_TAX_SYSTEM,
      });
      if (typeof closed === "number") {
        receipt.adjustment = before; // a refused close changes nothing
        return closed;
      }
      return { operator, change: closed.change };
    }),
  );

  device.register(
    repeatDocument.code,
    handle(repeatDocument, (d, _req, operator) => {
      if (d.receipt) return ERR_RECEIPT_OPEN;
      const e = d.printer.check();
      if (e) return e;
      const last = d.fn.lastDocument;
      if (!last || last.documentType === 1) return ERR_NO_DOCUMENT_TO_REPEAT;
      // A copy is printed from the FN's document; it is not a new fiscal document.
      d.printer.print(8);
      return { operator };
    }),
  );

  for (const def of [cashIn, cashOut]) {
    const inward = def === cashIn;
    device.register(
      def.code,
      handle(def, (d, req, operator) => {
        if (d.receipt) return ERR_RECEIPT_OPEN;
        const e = d.printer.check();
        if (e) return e;
        // Design assumption (unverified): cash in/out needs an open shift that is not over 24 h.
        if (!d.fn.shiftOpen) return ERR_NOT_IN_MODE;
        if (d.fn.shiftExpired(d.now())) return ERR_SHIFT_OVER_24H;
        if (req.sum === 0) return ERR_BAD_PARAMETERS;
        if (!inward && req.sum > d.cashInDrawer) return ERR_NOT_ENOUGH_CASH;
        if (inward && d.cashInDrawer + req.sum > 2 ** 48 - 1) return ERR_BAD_PARAMETERS;
        moveDrawer(d, inward ? 1 : 2, req.sum);
        d.printer.print(LINES_CASH_SLIP);
        return { operator, documentNumber: d.nextDocumentNumber() };
      }),
    );
  }
}
