import { afterEach, describe, expect, it } from "vitest";
import { DeviceDisconnectedError } from "../device/errors.ts";
import type { FiscalDevice } from "../device/fiscal-device.ts";
import { encodeDocument } from "../ffd/document.ts";
import { buildFnMessage, decodeConfirmation } from "./confirmation.ts";
import { OfdRejectedError, OfdUnavailableError } from "./errors.ts";
import { OfdClient } from "./ofd-client.ts";
import { type OfdEmulator, type OfdEmulatorOptions, startOfdEmulator } from "./ofd-emulator.ts";
import { relayUnsentDocuments } from "./relay.ts";

const FN = "9287440301120991";

/**
 * The OFD side of a FiscalDevice, in memory: an FN holding unsent documents, oldest first, that
 * clears one when a matching accepted confirmation is written back. Everything else is unused.
 */
class FnDouble {
  readonly unsent: number[];
  confirmations: Uint8Array[] = [];
  /** Fail the next N writeOfdReceipt calls, as a crash between the OFD's answer and the FN write. */
  failWrites = 0;
  /** A broken FN that never clears documents. */
  ignoreConfirmations = false;
  failReads = false;

  constructor(fds: number[]) {
    this.unsent = [...fds];
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
      ofdStatus: notUsed,
      close: async () => {},
      readOfdMessage: async () => {
        if (this.failReads) throw new DeviceDisconnectedError("KKT cable pulled: plug it back in");
        const fd = this.unsent[0];
        if (fd === undefined) return null;
        const doc = encodeDocument({
          kind: "shift_close",
          dateTime: 1768467600,
          fdNumber: fd,
          fnNumber: FN,
          fiscalSign: String(fd * 1000),
          shiftNumber: 1,
          cashier: "Кассир",
          receiptsCount: 0,
          fdCount: 1,
          unsentCount: this.unsent.length,
          ofdTimeout: false,
        });
        return buildFnMessage(FN, doc);
      },
      writeOfdReceipt: async (answer) => {
        if (this.failWrites > 0) {
          this.failWrites--;
          throw new DeviceDisconnectedError("KKT power lost");
        }
        const confirmation = decodeConfirmation(answer);
        this.confirmations.push(answer);
        if (this.ignoreConfirmations) return;
        if (
          confirmation.fnNumber === FN &&
          confirmation.replyCode === 0 &&
          confirmation.fdNumber === this.unsent[0]
        ) {
          this.unsent.shift();
        }
      },
    };
  }
}

const running: OfdEmulator[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function setup(fds: number[], options: Partial<OfdEmulatorOptions> = {}) {
  const ofd = await startOfdEmulator({ port: 0, ...options });
  running.push(ofd);
  const fn = new FnDouble(fds);
  const client = new OfdClient({ host: "127.0.0.1", port: ofd.port, timeoutMs: 5000 });
  return { ofd, fn, client };
}

describe("relayUnsentDocuments", () => {
  it("delivers every unsent document and writes each confirmation back, clearing the FN", async () => {
    const { ofd, fn, client } = await setup([41, 42, 43]);
    const result = await relayUnsentDocuments(fn.device(), client);
    expect(result).toEqual({ sent: 3, confirmed: 3, rejected: [], lastError: null });
    expect(fn.unsent).toEqual([]);
    expect(ofd.stats()).toMatchObject({ documents: 3, duplicates: 0 });
  });

  it("stops on the first unavailable error and leaves the documents unsent", async () => {
    const { fn, client } = await setup([1, 2], { mode: "down" });
    const result = await relayUnsentDocuments(fn.device(), client);
    expect(result).toMatchObject({ sent: 1, confirmed: 0, rejected: [] });
    expect(result.lastError).toBeInstanceOf(OfdUnavailableError);
    expect(fn.unsent).toEqual([1, 2]);
  });

  it("stops on a rejection and reports the FD and the OFD's reason", async () => {
    const { fn, client } = await setup([7, 8], { mode: "reject", rejectReason: "unknown KKT" });
    const result = await relayUnsentDocuments(fn.device(), client);
    expect(result).toMatchObject({ sent: 1, confirmed: 0, rejected: [{ fd: 7, reason: "unknown KKT" }] });
    expect(result.lastError).toBeInstanceOf(OfdRejectedError);
    expect(fn.unsent).toEqual([7, 8]);
  });

  it("respects maxDocuments", async () => {
    const { fn, client } = await setup([1, 2, 3]);
    const result = await relayUnsentDocuments(fn.device(), client, { maxDocuments: 2 });
    expect(result).toMatchObject({ sent: 2, confirmed: 2 });
    expect(fn.unsent).toEqual([3]);
    await expect(relayUnsentDocuments(fn.device(), client, { maxDocuments: 0 })).rejects.toThrow(
      /maxDocuments/,
    );
  });

  it("is idempotent across a crash between the OFD's answer and the FN write", async () => {
    const { ofd, fn, client } = await setup([10, 11, 12]);
    fn.failWrites = 1;
    const crashed = await relayUnsentDocuments(fn.device(), client);
    expect(crashed).toMatchObject({ sent: 1, confirmed: 0 });
    expect(crashed.lastError).toBeInstanceOf(DeviceDisconnectedError);

    const resumed = await relayUnsentDocuments(fn.device(), client);
    expect(resumed).toEqual({ sent: 3, confirmed: 3, rejected: [], lastError: null });
    expect(fn.unsent).toEqual([]);
    // The OFD saw FD 10 twice, counted it once, and answered identically.
    expect(ofd.stats()).toMatchObject({ received: 4, documents: 3, duplicates: 1 });
  });

  it("recovers after the OFD comes back (5xx, then up)", async () => {
    const { ofd, fn, client } = await setup([1, 2], { mode: "5xx" });
    const failed = await relayUnsentDocuments(fn.device(), client);
    expect(failed.lastError).toMatchObject({ code: "OFD_SERVER_ERROR" });
    ofd.setMode("up");
    expect(await relayUnsentDocuments(fn.device(), client)).toMatchObject({
      sent: 2,
      confirmed: 2,
      lastError: null,
    });
  });

  it("does not loop forever when the FN keeps offering a confirmed document", async () => {
    const { fn, client } = await setup([5, 6]);
    fn.ignoreConfirmations = true;
    const result = await relayUnsentDocuments(fn.device(), client);
    expect(result).toMatchObject({ sent: 1, confirmed: 1 });
    expect(result.lastError?.message).toMatch(/still offers fiscal document 5/);
  });

  it("reports a device error while reading the FN", async () => {
    const { fn, client } = await setup([1]);
    fn.failReads = true;
    const result = await relayUnsentDocuments(fn.device(), client);
    expect(result).toMatchObject({ sent: 0, confirmed: 0 });
    expect(result.lastError).toBeInstanceOf(DeviceDisconnectedError);
  });
});
