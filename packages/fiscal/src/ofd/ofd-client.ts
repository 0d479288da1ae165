/**
 * OFD client: one TCP connection per FN message, as a KKT does (write header + body, read
 * header + answer, close). Every failure ends in a typed error: `OfdUnavailableError` (retry
 * later) or `OfdRejectedError` (permanent, with the OFD's reason).
 */
import { connect, type Socket } from "node:net";
import { type OfdClock, systemClock } from "./clock.ts";
import {
  decodeConfirmation,
  describeOfdMessage,
  OFD_REPLY_ACCEPTED,
  OFD_REPLY_SERVER_ERROR,
  type OfdConfirmation,
} from "./confirmation.ts";
import { OfdMessageError, OfdRejectedError, OfdUnavailableError } from "./errors.ts";
import { decodeSessionHeader, SESSION_HEADER_LENGTH } from "./session-header.ts";

export interface OfdSendResult {
  confirmation: OfdConfirmation;
  /** The answer exactly as received (header + body): what `FiscalDevice.writeOfdReceipt` takes. */
  answer: Uint8Array;
}

/** What the relay needs; the TCP client below and test doubles implement it. */
export interface OfdTransport {
  send(message: Uint8Array, options?: { timeoutMs?: number }): Promise<OfdSendResult>;
}

export interface OfdClientOptions {
  host: string;
  port: number;
  /** Whole-exchange timeout per call (connect, send, answer), ms. Default 30000. */
  timeoutMs?: number;
  clock?: OfdClock;
}

export class OfdClient implements OfdTransport {
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly clock: OfdClock;

  constructor(options: OfdClientOptions) {
    if (typeof options.host !== "string" || options.host === "")
      throw new TypeError('"host" must be a host name');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new TypeError(`"port" must be an integer 1–65535, got ${options.port}`);
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(timeoutMs > 0)) throw new TypeError(`"timeoutMs" must be a positive number, got ${timeoutMs}`);
    this.host = options.host;
    this.port = options.port;
    this.timeoutMs = timeoutMs;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Sends one FN message and returns the OFD's confirmation.
   * @throws OfdUnavailableError (OFD_DOWN, OFD_TIMEOUT, OFD_SERVER_ERROR, OFD_PROTOCOL), OfdRejectedError,
   *   OfdMessageError when `message` itself is not a valid OFD message (nothing is sent)
   */
  async send(message: Uint8Array, options: { timeoutMs?: number } = {}): Promise<OfdSendResult> {
    const sent = describeOfdMessage(message); // validates before touching the network
    const answer = await this.exchange(message, options.timeoutMs ?? this.timeoutMs);
    let confirmation: OfdConfirmation;
    try {
      confirmation = decodeConfirmation(answer);
    } catch (error) {
      if (!(error instanceof OfdMessageError)) throw error;
      throw new OfdUnavailableError(
        "OFD_PROTOCOL",
        `The OFD's answer is garbled (${error.message}); will retry`,
        {
          cause: error,
        },
      );
    }
    if (
      confirmation.fnNumber !== sent.fnNumber ||
      (sent.fdNumber !== null && confirmation.fdNumber !== sent.fdNumber)
    ) {
      throw new OfdUnavailableError(
        "OFD_PROTOCOL",
        `The OFD answered for FN ${confirmation.fnNumber} FD ${confirmation.fdNumber}, not for the document sent; will retry`,
      );
    }
    if (confirmation.replyCode === OFD_REPLY_SERVER_ERROR) {
      throw new OfdUnavailableError(
        "OFD_SERVER_ERROR",
        `The OFD had a temporary error (${confirmation.message ?? "no reason given"}); will retry`,
      );
    }
    if (confirmation.replyCode !== OFD_REPLY_ACCEPTED) {
      throw new OfdRejectedError(confirmation.message ?? `reply code ${confirmation.replyCode}`, {
        fdNumber: confirmation.fdNumber,
        replyCode: confirmation.replyCode,
      });
    }
    return { confirmation, answer };
  }

  private exchange(message: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const where = `${this.host}:${this.port}`;
    return new Promise((resolve, reject) => {
      let socket: Socket | undefined;
      let received = Buffer.alloc(0);
      let settled = false;
      const finish = (error: Error | null, answer?: Uint8Array) => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        socket?.destroy();
        if (error) reject(error);
        else resolve(answer as Uint8Array);
      };
      const timer = this.clock.setTimeout(() => {
        finish(
          new OfdUnavailableError(
            "OFD_TIMEOUT",
            `The OFD at ${where} did not answer within ${timeoutMs} ms; will retry`,
          ),
        );
      }, timeoutMs);
      socket = connect({ host: this.host, port: this.port });
      socket.on("connect", () => socket?.write(message));
      socket.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < SESSION_HEADER_LENGTH) return;
        let total: number;
        try {
          total = SESSION_HEADER_LENGTH + decodeSessionHeader(received).bodyLength;
        } catch (error) {
          finish(
            new OfdUnavailableError("OFD_PROTOCOL", `The OFD at ${where} sent garbage; will retry`, {
              cause: error,
            }),
          );
          return;
        }
        if (received.length >= total) finish(null, new Uint8Array(received.subarray(0, total)));
      });
      socket.on("error", (error: NodeJS.ErrnoException) => {
        finish(
          new OfdUnavailableError(
            "OFD_DOWN",
            `The OFD at ${where} is unreachable (${error.code ?? error.message}); will retry`,
            {
              cause: error,
            },
          ),
        );
      });
      socket.on("close", () => {
        finish(
          new OfdUnavailableError(
            "OFD_DOWN",
            `The OFD at ${where} closed the connection before answering; will retry`,
          ),
        );
      });
    });
  }
}

export function createOfdClient(options: OfdClientOptions): OfdClient {
  return new OfdClient(options);
}
