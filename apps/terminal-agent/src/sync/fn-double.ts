import type { FiscalDevice } from "@kassa/fiscal/device";
import { encodeDocument } from "@kassa/fiscal/ffd";
import { buildFnMessage, decodeConfirmation } from "@kassa/fiscal/ofd";

export const TEST_FN = "9287440301120991";

/**
 * The OFD side of a fiscal device for the relay tests: an FN holding unsent documents, oldest first,
 * that clears one when the OFD's accepted confirmation for it is written back (as the real FN does).
 */
export class FnDouble {
  readonly unsent: { fd: number; at: number }[];

  constructor(fds: number[], firstAtMs: number) {
    this.unsent = fds.map((fd, i) => ({ fd, at: firstAtMs + i * 60_000 }));
  }

  device(): FiscalDevice {
    const notUsed = () => Promise.reject(new Error("not used by the relay"));
    return {
      identify: notUsed,
      status: notUsed,
      fnStatus: notUsed,
      openShift: notUsed,
      xReport: notUsed,
      closeShift: notUsed,
      fiscalizeReceipt: notUsed,
      fiscalizeCorrection: notUsed,
      moveCash: notUsed,
      cashInDrawer: notUsed,
      cancelReceipt: notUsed,
      continuePrint: notUsed,
      findDocument: notUsed,
      recoverReceipt: notUsed,
      close: async () => {},
      ofdStatus: async () => ({
        unsentCount: this.unsent.length,
        firstUnsentFd: this.unsent[0]?.fd ?? null,
        // Like the register: local time without a zone (FFD tag 1012).
        oldestUnsentAt: this.unsent[0] ? localTime(this.unsent[0].at) : null,
      }),
      readOfdMessage: async () => {
        const head = this.unsent[0];
        if (!head) return null;
        const doc = encodeDocument({
          kind: "shift_close",
          dateTime: Math.floor(head.at / 1000),
          fdNumber: head.fd,
          fnNumber: TEST_FN,
          fiscalSign: String(head.fd * 1000),
          shiftNumber: 1,
          cashier: "Кассир",
          receiptsCount: 0,
          fdCount: 1,
          unsentCount: this.unsent.length,
          ofdTimeout: false,
        });
        return buildFnMessage(TEST_FN, doc);
      },
      writeOfdReceipt: async (answer) => {
        const confirmation = decodeConfirmation(answer);
        if (
          confirmation.fnNumber === TEST_FN &&
          confirmation.replyCode === 0 &&
          confirmation.fdNumber === this.unsent[0]?.fd
        ) {
          this.unsent.shift();
        }
      },
    };
  }
}

/** `YYYY-MM-DDTHH:MM:SS` in the local zone, the way Shtrih-M reports document times. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
