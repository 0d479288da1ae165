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
      status: notUsed,
      fnStatus: notUsed,
      openShift: notUsed,
      xReport: notUsed,
      closeShift: notUsed,
      fiscalizeReceipt: notUsed,
      cancelReceipt: notUsed,
      continuePrint: notUsed,
      findDocument: notUsed,
      recoverReceipt: notUsed,
      close: async () => {},
      ofdStatus: async () => ({
        unsentCount: this.unsent.length,
        firstUnsentFd: this.unsent[0]?.fd ?? null,
        oldestUnsentAt: this.unsent[0] ? new Date(this.unsent[0].at).toISOString() : null,
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
