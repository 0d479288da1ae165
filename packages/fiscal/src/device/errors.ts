/**
 * Typed device errors. Every error carries a `kassaCode` the agent maps to a cashier-facing state
 * and a message that says what to do next. Transport errors set a flag the caller can test.
 */
export type FiscalErrorCode =
  | "PAPER_OUT"
  | "DEVICE_DISCONNECTED"
  | "DEVICE_TIMEOUT"
  | "DEVICE_BUSY"
  | "SHIFT_CLOSED"
  | "SHIFT_EXPIRED"
  | "SHIFT_ALREADY_OPEN"
  | "FN_FULL"
  | "FN_OFD_BLOCKED"
  | "PAYMENTS_LESS_THAN_TOTAL"
  | "WRONG_PASSWORD"
  | "BAD_PARAMETERS"
  | "NOT_ALLOWED_IN_MODE"
  | "PROTOCOL_ERROR"
  | "DEVICE_ERROR";

export class FiscalDeviceError extends Error {
  override readonly name: string = "FiscalDeviceError";
  readonly kassaCode: FiscalErrorCode;
  /** The device's own error byte, when the device answered with one. */
  readonly deviceCode: number | undefined;
  /**
   * True when the outcome of the last command is unknown (timeout, cable pulled, power lost with
   * a pending answer): the caller must run recovery, never resend.
   */
  readonly uncertain: boolean;

  constructor(
    kassaCode: FiscalErrorCode,
    message: string,
    options: { deviceCode?: number; uncertain?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kassaCode = kassaCode;
    this.deviceCode = options.deviceCode;
    this.uncertain = options.uncertain ?? false;
  }
}

export class DeviceTimeoutError extends FiscalDeviceError {
  override readonly name = "DeviceTimeoutError";
  readonly timeout = true;
  constructor(message: string, options: { uncertain?: boolean; cause?: unknown } = {}) {
    super("DEVICE_TIMEOUT", message, { uncertain: options.uncertain ?? true, cause: options.cause });
  }
}

export class DeviceDisconnectedError extends FiscalDeviceError {
  override readonly name = "DeviceDisconnectedError";
  readonly disconnected = true;
  constructor(message: string, options: { uncertain?: boolean; cause?: unknown } = {}) {
    super("DEVICE_DISCONNECTED", message, { uncertain: options.uncertain ?? true, cause: options.cause });
  }
}
