import type { TWaitingReason } from "@kassa/api/agent";
import { FiscalDeviceError } from "@kassa/fiscal/device";

const SAVED = "The receipt is saved and will print";

/** What the cashier reads while receipts wait for the device: what happened, and what to do. */
const MESSAGES: Record<string, string> = {
  PAPER_OUT: `Printer is out of paper. ${SAVED} when paper is loaded.`,
  DEVICE_DISCONNECTED: `The fiscal register is not connected. ${SAVED} when the cable is back and the register is on.`,
  DEVICE_TIMEOUT: `The fiscal register does not answer. Check its power and cable; ${SAVED.toLowerCase()} once it answers.`,
  DEVICE_BUSY: `The fiscal register is busy. ${SAVED} in a moment.`,
  SHIFT_EXPIRED: `The shift is over 24 hours. Close the shift (Z report) and open a new one; ${SAVED.toLowerCase()} then.`,
  SHIFT_CLOSED: `No shift is open. Open a shift; ${SAVED.toLowerCase()} then.`,
  FN_FULL: `The fiscal drive (FN) is full or expired: it must be replaced. ${SAVED} after the replacement.`,
  FN_OFD_BLOCKED: `The fiscal drive is blocked: documents have not reached the OFD for 30 days. Restore the internet connection; ${SAVED.toLowerCase()} once the OFD confirms.`,
};

export function waitingReasonFor(error: unknown): TWaitingReason {
  if (error instanceof FiscalDeviceError) {
    const message =
      MESSAGES[error.kassaCode] ??
      `The fiscal register refused the receipt (${error.message}). ${SAVED} when the register is ready; call support if this persists.`;
    return { kassaCode: error.kassaCode, message };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    kassaCode: "DEVICE_ERROR",
    message: `The fiscal register could not be used (${text}). ${SAVED} when it is ready; call support if this persists.`,
  };
}

export function reasonFromCode(kassaCode: string): TWaitingReason {
  return { kassaCode, message: MESSAGES[kassaCode] ?? `${SAVED} when the fiscal register is ready.` };
}
