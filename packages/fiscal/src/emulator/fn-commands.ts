/** FF01 FN status, FF40 shift parameters, FF0A find document, FF3A / FF3B read a document as TLV. */

import {
  type FoundDocumentDetails,
  findDocument,
  fnStatus,
  readDocumentTlv,
  requestDocumentTlv,
  shiftParams,
} from "../shtrih/commands/fn.ts";
import { ERR_NO_DATA } from "../shtrih/error-codes.ts";
import type { FnDocument } from "./fn-document.ts";
import { isoToDevice, ZERO_DEVICE_TIME } from "./fn-time.ts";
import { handleFn, type KktDevice } from "./kkt-device.ts";

const FN_LIFE_PHASE_FISCAL = 3;
/** LEN (255) minus the command bytes (2) and the error byte. */
const MAX_ANSWER_DATA = 252;

function details(doc: FnDocument): FoundDocumentDetails {
  if (doc.documentType === 3 || doc.documentType === 31) {
    return { kind: "receipt", operationType: doc.operationType ?? 1, total: doc.total ?? 0 };
  }
  if (doc.documentType === 2 || doc.documentType === 5)
    return { kind: "shift", shiftNumber: doc.shiftNumber };
  return { kind: "other", bytes: new Uint8Array(0) };
}

export function registerFnCommands(device: KktDevice): void {
  device.register(
    fnStatus.code,
    handleFn(fnStatus, (d) => {
      const last = d.fn.lastDocument;
      return {
        lifePhase: FN_LIFE_PHASE_FISCAL,
        // The KKT keeps items in RAM and opens the FN's receipt document only at FF45: none open here.
        currentDocument: 0,
        documentData: 0,
        shiftOpen: d.fn.shiftOpen,
        warnings: d.fn.warnings(d.now()),
        dateTime: last ? isoToDevice(last.dateTime) : ZERO_DEVICE_TIME,
        fnNumber: d.fn.fnNumber,
        lastFdNumber: d.fn.lastFdNumber,
      };
    }),
  );

  device.register(
    shiftParams.code,
    handleFn(shiftParams, (d) => ({
      shiftOpen: d.fn.shiftOpen,
      shiftNumber: d.fn.shiftNumber,
      receiptNumber: d.fn.receiptsInShift,
    })),
  );

  device.register(
    findDocument.code,
    handleFn(findDocument, (d, req) => {
      const doc = d.fn.find(req.fdNumber);
      if (!doc) return ERR_NO_DATA;
      return {
        documentType: doc.documentType,
        ofdAcknowledged: doc.ofdConfirmed,
        dateTime: isoToDevice(doc.dateTime),
        fdNumber: doc.fdNumber,
        fiscalSign: doc.fiscalSign,
        details: details(doc),
      };
    }),
  );

  device.register(
    requestDocumentTlv.code,
    handleFn(requestDocumentTlv, (d, req) => {
      const doc = d.fn.find(req.fdNumber);
      if (!doc) {
        d.tlvCursor = null;
        return ERR_NO_DATA;
      }
      d.tlvCursor = { tlv: doc.tlv, offset: 0 };
      return { documentType: doc.documentType, length: doc.tlv.length };
    }),
  );

  // One top-level TLV per call, as the FN hands them out; "no data" once the document is read.
  device.register(
    readDocumentTlv.code,
    handleFn(readDocumentTlv, (d) => {
      const cursor = d.tlvCursor;
      if (!cursor || cursor.offset >= cursor.tlv.length) return ERR_NO_DATA;
      const rest = cursor.tlv.subarray(cursor.offset);
      const tlvLength = rest.length >= 4 ? 4 + (rest[2]! | (rest[3]! << 8)) : rest.length;
      // A TLV longer than one answer frame continues in the next call.
      const end = Math.min(tlvLength, rest.length, MAX_ANSWER_DATA);
      cursor.offset += end;
      return { tlv: rest.slice(0, end) };
    }),
  );
}
