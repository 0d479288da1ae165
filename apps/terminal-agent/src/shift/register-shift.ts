import type { FiscalDevice, StoredDocument } from "@kassa/fiscal/device";
import { decodeDocument } from "@kassa/fiscal/ffd";

/** FFD document types of the shift reports. */
export const SHIFT_OPEN_DOCUMENT = 2;
export const SHIFT_CLOSE_DOCUMENT = 5;

/**
 * How far back to look for the last shift report. A shift with more receipts than this still
 * reconciles, only without the register's number and time (the agent's own fallbacks apply).
 */
const MAX_SCAN = 2_000;

export interface RegisterShiftDocument {
  fdNumber: number;
  fiscalSign: string;
  /** The register's wall clock, as stored (no zone). */
  dateTime: string;
  /** Epoch ms of dateTime read as the till's local time, null when unreadable. */
  atMs: number | null;
  shiftNumber: number | null;
  cashier: string | null;
  cashierInn: string | null;
}

/** The FN's most recent shift-open (2) or shift-close (5) report, newest first, or null. */
export async function lastShiftDocument(
  device: FiscalDevice,
  lastFdNumber: number,
  documentType: typeof SHIFT_OPEN_DOCUMENT | typeof SHIFT_CLOSE_DOCUMENT,
): Promise<RegisterShiftDocument | null> {
  for (let fd = lastFdNumber; fd >= 1 && fd > lastFdNumber - MAX_SCAN; fd--) {
    const doc = await device.findDocument(fd);
    if (doc?.documentType === documentType) return describe(doc);
  }
  return null;
}

function describe(doc: StoredDocument): RegisterShiftDocument {
  let shiftNumber: number | null = null;
  let cashier: string | null = null;
  let cashierInn: string | null = null;
  try {
    const decoded = decodeDocument(doc.tlv);
    if (decoded.kind === "shift_open" || decoded.kind === "shift_close") {
      shiftNumber = decoded.shiftNumber;
      cashier = decoded.cashier || null;
      cashierInn = decoded.cashierInn ?? null;
    }
  } catch {
    // An unreadable TLV still gives the FD, the sign and the time: enough to reconcile.
  }
  const atMs = Date.parse(doc.dateTime);
  return {
    fdNumber: doc.fdNumber,
    fiscalSign: doc.fiscalSign,
    dateTime: doc.dateTime,
    atMs: Number.isNaN(atMs) ? null : atMs,
    shiftNumber,
    cashier,
    cashierInn,
  };
}
