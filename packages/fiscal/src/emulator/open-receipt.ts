/**
 * The receipt being built in the KKT's RAM (items from FF46, tags from FF0C/FF4D). It becomes a
 * fiscal document only when FF45 closes it; a cancel (88) or a power loss throws it away.
 */
import type { TlvField } from "../ffd/tlv.ts";

export interface OpenItem {
  /** 1059 fields (name, price, quantity, sum, VAT, subject, payment method). */
  fields: TlvField[];
  /** Item tags written by the host with FF4D. */
  hostTags: TlvField[];
  sum: number;
}

export interface OpenReceipt {
  /** 1 income, 2 income return, 3 expense, 4 expense return. */
  operationType: number;
  items: OpenItem[];
  hostTags: TlvField[];
  /** Opened by FF35: closing it makes a correction receipt (FFD type 31), not a receipt. */
  correction?: boolean;
  /** Allowances (87) minus discounts (86) on the whole receipt, kopecks; spread over the items at close. */
  adjustment?: number;
}

/** High nibble of the mode byte in mode 8, by operation type (protocol v1.17 "Режимы ФР"). */
export function modeStatusOf(operationType: number): number {
  switch (operationType) {
    case 1:
      return 0; // sale
    case 3:
      return 1; // purchase
    case 2:
      return 2; // sale return
    case 4:
      return 3; // purchase return
    default:
      return 0;
  }
}
