import { describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { Tag } from "../ffd/tags.ts";
import { encodeTlv, tlv } from "../ffd/tlv.ts";
import type { CommandDef } from "./commands/define.ts";
import { findDocument, requestDocumentTlv } from "./commands/index.ts";
import type { DeviceCaller } from "./device-call.ts";
import { readStoredDocument } from "./document-reader.ts";

/** A caller that answers FF0A with a receipt header and FF3A/FF3B with `tlvBytes` in one block. */
function callerWith(tlvBytes: Uint8Array): DeviceCaller {
  let served = false;
  const call = async (def: CommandDef<unknown, unknown>) => {
    if (def === findDocument) {
      return {
        documentType: 3,
        ofdAcknowledged: false,
        dateTime: { year: 2026, month: 11, day: 22, hour: 9, minute: 0, second: 0 },
        fdNumber: 7,
        fiscalSign: 123456,
        details: { kind: "receipt", operationType: 1, total: 10_000 },
      };
    }
    if (def === requestDocumentTlv) return { documentType: 3, length: tlvBytes.length };
    if (served) return { tlv: new Uint8Array(0) };
    served = true;
    return { tlv: tlvBytes };
  };
  return { call } as unknown as DeviceCaller;
}

describe("readStoredDocument", () => {
  it("finds tag 1192 inside the receipt's STLV", async () => {
    const bytes = encodeTlv([tlv.stlv(3, [tlv.string(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, "r-42")])]);
    expect(await readStoredDocument(callerWith(bytes), 30, 7)).toMatchObject({
      fdNumber: 7,
      receiptTag: "r-42",
    });
  });

  it("a document whose TLV does not parse is an error, not a receipt without 1192 (recovery would reprint it)", async () => {
    const good = encodeTlv([tlv.stlv(3, [tlv.string(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, "r-42")])]);
    const bad = good.slice();
    bad[6] = 0xff; // the inner 1192's length now runs past the end
    const read = readStoredDocument(callerWith(bad), 30, 7);
    await expect(read).rejects.toBeInstanceOf(FiscalDeviceError);
    await expect(readStoredDocument(callerWith(bad), 30, 7)).rejects.toMatchObject({
      kassaCode: "PROTOCOL_ERROR",
      message: expect.stringMatching(/Document 7 .*do not repeat the sale/),
    });
  });
});
