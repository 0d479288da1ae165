/**
 * OFD exchange errors. The relay and the agent's breaker only need one question answered:
 * retry later (`retryable: true`: OFD down, timeout, server error, garbled answer) or stop and
 * show a person (`OfdRejectedError`: the OFD refused this document for good, with its reason).
 */
export type OfdErrorCode =
  | "OFD_DOWN"
  | "OFD_TIMEOUT"
  | "OFD_SERVER_ERROR"
  | "OFD_PROTOCOL"
  | "OFD_REJECTED"
  | "OFD_BAD_MESSAGE";

export class OfdError extends Error {
  override readonly name: string = "OfdError";
  readonly code: OfdErrorCode;
  readonly retryable: boolean;

  constructor(code: OfdErrorCode, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
  }
}

/** Temporary: the document stays unsent in the FN and is sent again later. */
export class OfdUnavailableError extends OfdError {
  override readonly name = "OfdUnavailableError";
  readonly unavailable = true;

  constructor(
    code: "OFD_DOWN" | "OFD_TIMEOUT" | "OFD_SERVER_ERROR" | "OFD_PROTOCOL",
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, { retryable: true, cause: options.cause });
  }
}

/** Permanent: the OFD refused the document; resending the same bytes will not help. */
export class OfdRejectedError extends OfdError {
  override readonly name = "OfdRejectedError";
  readonly rejected = true;
  /** The OFD's own reason, as it sent it. */
  readonly reason: string;
  readonly fdNumber: number | null;
  readonly replyCode: number;

  constructor(reason: string, options: { fdNumber: number | null; replyCode: number }) {
    super(
      "OFD_REJECTED",
      `The OFD rejected fiscal document ${options.fdNumber ?? "?"}: ${reason}. ` +
        "Resending will not help: check the document and the KKT registration with the OFD's support",
      { retryable: false },
    );
    this.reason = reason;
    this.fdNumber = options.fdNumber;
    this.replyCode = options.replyCode;
  }
}

/** Bytes that are not a valid OFD message (bad signature, CRC, length). */
export class OfdMessageError extends OfdError {
  override readonly name = "OfdMessageError";

  constructor(message: string) {
    super("OFD_BAD_MESSAGE", message, { retryable: false });
  }
}
