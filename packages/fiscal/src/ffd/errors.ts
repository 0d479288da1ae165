/**
 * Errors of the FFD layer (TLV codec, VAT table, document model). One error type with a code the
 * caller can switch on; the message says what to do next. Decoding bytes from a serial line or a
 * network must end in one of these, never in a RangeError from deep inside a Buffer.
 */
export type FfdErrorCode =
  /** The input ends inside a tag header or a value. */
  | "TLV_TRUNCATED"
  /** A value has a length its type does not allow (e.g. a 3-byte UnixTime). */
  | "TLV_BAD_LENGTH"
  /** A value is out of range for its type (e.g. a VLN beyond 2^53, a byte > 255). */
  | "TLV_BAD_VALUE"
  /** STLV nesting deeper than any FFD document has. */
  | "TLV_TOO_DEEP"
  /** A field cannot be encoded (tag out of range, value longer than 65535 bytes…). */
  | "TLV_ENCODE"
  | "VAT_UNKNOWN_RATE"
  | "VAT_BAD_RATE"
  /** A document misses a required tag or carries a value the model does not know. */
  | "DOCUMENT_INVALID";

export class FfdError extends Error {
  override readonly name: string = "FfdError";
  readonly code: FfdErrorCode;

  constructor(code: FfdErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/** Malformed TLV input. `offset` is the byte position (in the outermost buffer) where decoding failed. */
export class TlvDecodeError extends FfdError {
  override readonly name = "TlvDecodeError";
  readonly offset: number;
  readonly tag: number | undefined;

  constructor(
    code: "TLV_TRUNCATED" | "TLV_BAD_LENGTH" | "TLV_BAD_VALUE" | "TLV_TOO_DEEP",
    message: string,
    options: { offset: number; tag?: number },
  ) {
    super(
      code,
      `${message} (at byte ${options.offset}${options.tag === undefined ? "" : `, tag ${options.tag}`})`,
    );
    this.offset = options.offset;
    this.tag = options.tag;
  }
}

export class UnknownVatRateError extends FfdError {
  override readonly name = "UnknownVatRateError";
  readonly rateId: string;

  constructor(rateId: string, known: readonly string[]) {
    super(
      "VAT_UNKNOWN_RATE",
      `Unknown VAT rate "${rateId}": use one of ${known.join(", ")} or add it to the VAT rate table in the configuration`,
    );
    this.rateId = rateId;
  }
}
