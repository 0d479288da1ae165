/**
 * The OFD relay: FN's next unsent message → OFD → the OFD's confirmation back into the FN, until
 * the FN has nothing left, the OFD is unavailable, or it rejects a document.
 *
 * Crash safety comes from the OFD side, not from bookkeeping here: if the process dies after the
 * OFD answered but before `writeOfdReceipt`, the FN still holds the document as unsent and the
 * next run sends it again; the OFD recognises (FN, FD) and returns the same confirmation, counting
 * the document once.
 */
import type { FiscalDevice } from "../device/fiscal-device.ts";
import { describeOfdMessage } from "./confirmation.ts";
import { OfdError, OfdRejectedError } from "./errors.ts";
import type { OfdTransport } from "./ofd-client.ts";

export interface RelayOptions {
  /** Stop after this many documents (keeps one relay run short). Default 100. */
  maxDocuments?: number;
  /** Per-document OFD timeout, ms (the client's default otherwise). */
  timeoutMs?: number;
}

export interface RelayResult {
  /** Messages handed to the OFD. */
  sent: number;
  /** Confirmations written back into the FN. */
  confirmed: number;
  rejected: Array<{ fd: number | null; reason: string }>;
  /** Why the run stopped early (OFD unavailable or rejecting, device error); null when the FN is empty or the limit was hit. */
  lastError: Error | null;
}

function fdOf(message: Uint8Array): number | null {
  try {
    return describeOfdMessage(message).fdNumber;
  } catch {
    return null;
  }
}

export async function relayUnsentDocuments(
  device: FiscalDevice,
  client: OfdTransport,
  options: RelayOptions = {},
): Promise<RelayResult> {
  const maxDocuments = options.maxDocuments ?? 100;
  if (!Number.isInteger(maxDocuments) || maxDocuments < 1) {
    throw new TypeError(`"maxDocuments" must be a positive integer, got ${maxDocuments}`);
  }
  const result: RelayResult = { sent: 0, confirmed: 0, rejected: [], lastError: null };
  let lastConfirmedFd: number | null = null;
  try {
    while (result.sent < maxDocuments) {
      const message = await device.readOfdMessage();
      if (message === null) break;
      const fd = fdOf(message);
      if (fd !== null && fd === lastConfirmedFd) {
        // The FN offers the document we just confirmed: the confirmation did not take. Looping
        // would resend it forever.
        result.lastError = new Error(
          `The FN still offers fiscal document ${fd} after its OFD confirmation was written; check the KKT's OFD exchange status`,
        );
        break;
      }
      result.sent++;
      let answer: Uint8Array;
      try {
        ({ answer } = await client.send(
          message,
          options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
        ));
      } catch (error) {
        if (error instanceof OfdRejectedError) {
          // The FN sends the oldest unsent document first, so a rejected one blocks the queue:
          // stop and let a person decide (dead-letter), rather than resend it in a loop.
          result.rejected.push({ fd: error.fdNumber ?? fd, reason: error.reason });
          result.lastError = error;
          break;
        }
        if (error instanceof OfdError) {
          result.lastError = error;
          break;
        }
        throw error;
      }
      await device.writeOfdReceipt(answer);
      result.confirmed++;
      lastConfirmedFd = fd;
    }
  } catch (error) {
    // Device errors (paper, cable, timeout) end the run; the documents stay unsent in the FN.
    if (!(error instanceof Error)) throw error;
    result.lastError = error;
  }
  return result;
}
