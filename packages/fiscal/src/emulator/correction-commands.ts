/**
 * FF35 start correction receipt, FF36 / FF4A make it, FF03 FN validity.
 *
 * FFD 1.2 path (what Kassa's driver sends): FF35 → FF46 per item (+ FF4D) → FF0C (1174 basis,
 * 1192, cashier) → FF4A (1173 type, 1054, totals, tax system). FF36 (total and sign only) closes it
 * the same way with the whole total in cash, as an FFD 1.05 driver uses it; FF45 closes it too.
 * FFD 1.2 makes items mandatory in a correction, so FF36/FF4A without FF35 answer 73 (no
 * correction open) and with no items 8E (zero total).
 * Design assumption: that FF46 items are accepted between FF35 and FF36/FF4A on FFD 1.2 firmware
 * is how the vendor describes the FFD 1.2 correction (items are mandatory in it); not checked on
 * hardware.
 */
import {
  fnValidity,
  makeCorrection,
  makeCorrectionV2,
  startCorrection,
} from "../shtrih/commands/correction.ts";
import {
  ERR_BAD_PARAMETERS,
  ERR_FN_SHIFT_OVER_24H,
  ERR_NOT_IN_MODE,
  ERR_RECEIPT_OPEN,
} from "../shtrih/error-codes.ts";
import { handleFn, type KktDevice } from "./kkt-device.ts";
import { closeOpenReceipt, type Settlement } from "./receipt-close.ts";

/** Design assumption: an FN allows 12 registrations; the emulated one used one. */
const REGISTRATIONS_LEFT = 11;
const REGISTRATIONS_DONE = 1;

function closeCorrection(d: KktDevice, operationType: number, s: Settlement) {
  const receipt = d.receipt;
  if (!receipt?.correction) return ERR_NOT_IN_MODE;
  if (operationType < 1 || operationType > 4) return ERR_BAD_PARAMETERS;
  if (receipt.operationType !== 0 && receipt.operationType !== operationType) return ERR_BAD_PARAMETERS;
  const before = receipt.operationType;
  receipt.operationType = operationType;
  const closed = closeOpenReceipt(d, s);
  if (typeof closed === "number") {
    receipt.operationType = before;
    return closed;
  }
  return {
    receiptNumber: d.fn.receiptsInShift,
    fdNumber: closed.doc.fdNumber,
    fiscalSign: closed.doc.fiscalSign,
  };
}

export function registerCorrectionCommands(device: KktDevice): void {
  device.register(
    startCorrection.code,
    handleFn(startCorrection, (d) => {
      const now = d.now();
      if (d.receipt) return ERR_RECEIPT_OPEN;
      const e = d.printer.check();
      if (e) return e;
      // A correction receipt belongs to an open shift, like any receipt (the FN refuses it otherwise).
      if (!d.fn.shiftOpen) return ERR_NOT_IN_MODE;
      if (d.fn.shiftExpired(now)) return ERR_FN_SHIFT_OVER_24H;
      const fnError = d.fn.canIssue(now);
      if (fnError) return fnError;
      d.receipt = { operationType: 0, items: [], hostTags: [], correction: true };
      return {};
    }),
  );

  device.register(
    makeCorrection.code,
    handleFn(makeCorrection, (d, req) =>
      closeCorrection(d, req.operationType, {
        cash: req.total,
        electronic: 0,
        rounding: 0,
        taxSystem: 1,
        correctionType: null,
      }),
    ),
  );

  device.register(
    makeCorrectionV2.code,
    handleFn(makeCorrectionV2, (d, req) => {
      if (req.correctionType > 1) return ERR_BAD_PARAMETERS;
      const [cash = 0, electronic = 0, prepayment = 0, credit = 0, counterProvision = 0] = req.payments;
      const receipt = d.receipt;
      // FF4A names the total: it must be what the items add up to.
      if (receipt?.correction) {
        const total = receipt.items.reduce((s, i) => s + i.sum, 0) + (receipt.adjustment ?? 0);
        if (receipt.items.length > 0 && total !== req.total) return ERR_BAD_PARAMETERS;
      }
      return closeCorrection(d, req.operationType, {
        cash,
        electronic,
        prepayment,
        credit,
        counterProvision,
        rounding: 0,
        taxSystem: req.taxSystem,
        correctionType: req.correctionType,
      });
    }),
  );

  device.register(
    fnValidity.code,
    handleFn(fnValidity, (d) => {
      const until = new Date(d.fn.validUntilMs);
      return {
        year: until.getFullYear(),
        month: until.getMonth() + 1,
        day: until.getDate(),
        registrationsLeft: REGISTRATIONS_LEFT,
        registrationsDone: REGISTRATIONS_DONE,
      };
    }),
  );
}
