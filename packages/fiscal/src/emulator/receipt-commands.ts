/**
 * FF46 operation, FF45 close receipt, 88 cancel, FF0C / FF4D TLV writes. The KKT collects the
 * receipt in RAM; only FF45 turns it into a fiscal document in the FN.
 */
import { Tag } from "../ffd/tags.ts";
import { type TlvField, tlv } from "../ffd/tlv.ts";
import {
  cancelReceipt,
  closeReceipt,
  operation,
  writeOperationTlv,
  writeReceiptTlv,
} from "../shtrih/commands/receipt.ts";
import { ERR_BAD_PARAMETERS, ERR_NOT_IN_MODE, ERR_SHIFT_OVER_24H } from "../shtrih/error-codes.ts";
import { rawTlvFields } from "./fn-document.ts";
import { handle, type KktDevice } from "./kkt-device.ts";
import { closeOpenReceipt } from "./receipt-close.ts";

/** Printed lines per operation, for print time. */
const LINES_PER_ITEM = 2;
const LINES_PER_CANCEL = 2;

const MAX_MONEY = 2 ** 40 - 1;

function itemFields(
  device: KktDevice,
  req: ReturnType<typeof operation.decodeRequest>,
  sum: number,
): TlvField[] | null {
  const vat = device.taxGroups[req.taxGroup];
  if (vat === undefined) return null;
  return [
    tlv.string(Tag.ITEM_NAME, req.name),
    tlv.vln(Tag.PRICE, req.price),
    tlv.fvln(Tag.QUANTITY, req.quantity),
    tlv.vln(Tag.ITEM_SUM, sum),
    tlv.byte(Tag.VAT_RATE, vat),
    tlv.byte(Tag.ITEM_SUBJECT, req.subject),
    tlv.byte(Tag.PAYMENT_METHOD, req.paymentMethod),
  ];
}

export function registerReceiptCommands(device: KktDevice): void {
  device.register(
    operation.code,
    handle(operation, (d, req) => {
      const now = d.now();
      const e = d.printer.check();
      if (e) return e;
      if (!d.fn.shiftOpen) return ERR_NOT_IN_MODE;
      // The KKT's own 24 h check (0x4E); the FN's (0x16) fires at FF45.
      if (d.fn.shiftExpired(now)) return ERR_SHIFT_OVER_24H;
      // A correction opened by FF35 takes its calculation sign from its first item.
      const pendingSign = d.receipt?.correction === true && d.receipt.operationType === 0;
      if (d.receipt && !pendingSign && d.receipt.operationType !== req.operationType)
        return ERR_BAD_PARAMETERS;
      if (req.operationType < 1 || req.operationType > 4) return ERR_BAD_PARAMETERS;
      if (req.paymentMethod < 1 || req.paymentMethod > 7) return ERR_BAD_PARAMETERS;
      if (req.subject < 1 || req.subject > 33) return ERR_BAD_PARAMETERS;
      if (req.name.length === 0 || !(req.quantity > 0)) return ERR_BAD_PARAMETERS;
      const units = Math.round(req.quantity * 1_000_000);
      const sum = req.sum ?? Math.round((req.price * units) / 1_000_000);
      if (sum > MAX_MONEY) return ERR_BAD_PARAMETERS;
      const fields = itemFields(d, req, sum);
      if (!fields) return ERR_BAD_PARAMETERS;
      if (!d.receipt) {
        // Opening a receipt: the FN must be able to issue a document at all.
        const fnError = d.fn.canIssue(now);
        if (fnError) return fnError;
        d.receipt = { operationType: req.operationType, items: [], hostTags: [] };
      }
      if (pendingSign) d.receipt.operationType = req.operationType;
      d.receipt.items.push({ fields, hostTags: [], sum });
      d.printer.print(LINES_PER_ITEM);
      return {};
    }),
  );

  device.register(
    closeReceipt.code,
    handle(closeReceipt, (d, req) => {
      const closed = closeOpenReceipt(d, {
        cash: req.payments[0] ?? 0,
        // Design assumption: payment slots 2–16 all count as electronic (1081); Kassa uses slot 2 only.
        electronic: req.payments.reduce((s, p) => s + p, 0) - (req.payments[0] ?? 0),
        rounding: req.rounding,
        taxSystem: req.taxSystem,
        nonCashOverError: ERR_BAD_PARAMETERS,
      });
      if (typeof closed === "number") return closed;
      return { change: closed.change, fdNumber: closed.doc.fdNumber, fiscalSign: closed.doc.fiscalSign };
    }),
  );

  device.register(
    cancelReceipt.code,
    handle(cancelReceipt, (d, _req, operator) => {
      if (!d.receipt) return ERR_NOT_IN_MODE;
      const e = d.printer.check();
      if (e) return e;
      d.receipt = null;
      d.printer.print(LINES_PER_CANCEL);
      return { operator };
    }),
  );

  // Tags go into the open receipt only: a tag left waiting for "the next document" could end up
  // on another sale's receipt (a wrong 1192 is worse than a refused write).
  device.register(
    writeReceiptTlv.code,
    handle(writeReceiptTlv, (d, req) => {
      if (!d.receipt) return ERR_NOT_IN_MODE;
      const fields = parseHostTlv(req.tlv);
      if (!fields) return ERR_BAD_PARAMETERS;
      d.receipt.hostTags.push(...fields);
      return {};
    }),
  );

  device.register(
    writeOperationTlv.code,
    handle(writeOperationTlv, (d, req) => {
      const item = d.receipt?.items.at(-1);
      if (!item) return ERR_NOT_IN_MODE;
      const fields = parseHostTlv(req.tlv);
      if (!fields) return ERR_BAD_PARAMETERS;
      item.hostTags.push(...fields);
      return {};
    }),
  );
}

function parseHostTlv(bytes: Uint8Array): TlvField[] | null {
  if (bytes.length === 0) return null;
  try {
    return rawTlvFields(bytes);
  } catch {
    return null;
  }
}
