/**
 * One typed command over the transport, with the device's own "try again" answers handled:
 * 0x50 (still printing the previous command) and 0x58 (waiting for continue-print) both mean the
 * command was NOT executed, so waiting (or sending B0) and sending it again is safe. Any other
 * error byte becomes a typed FiscalDeviceError.
 */
import { DeviceDisconnectedError, DeviceTimeoutError, FiscalDeviceError } from "../device/errors.ts";
import { type CommandDef, continuePrint } from "./commands/index.ts";
import { deviceError, ERR_AWAITING_CONTINUE_PRINT, ERR_BUSY, ERR_OK } from "./error-codes.ts";
import type { ShtrihTransport, TransportTimers } from "./transport.ts";

export interface CallOptions {
  /**
   * Reads nothing but state (status, FN status, find document): after an uncertain timeout it is
   * asked again once, since asking twice changes nothing on the device.
   */
  readOnly?: boolean;
}

export interface DeviceCallerOptions {
  /** Wait between retries while the device answers 0x50 "busy printing", ms. Default 200. */
  busyPollMs?: number;
  /** Give up on a device that stays busy this long, ms. Default 60 000. */
  busyTimeoutMs?: number;
  /** Password used for continue-print (B0). */
  continuePrintPassword: number;
  timers: TransportTimers;
}

export class DeviceCaller {
  constructor(
    private readonly transport: ShtrihTransport,
    private readonly o: DeviceCallerOptions,
  ) {}

  async call<Req, Ans>(def: CommandDef<Req, Ans>, req: Req, options: CallOptions = {}): Promise<Ans> {
    const data = def.encodeRequest(req); // a bad argument throws a TypeError before anything is sent
    const pollMs = this.o.busyPollMs ?? 200;
    const deadline = (this.o.busyTimeoutMs ?? 60_000) / pollMs;
    let polls = 0;
    let retriedUncertain = false;
    let continued = 0;
    for (;;) {
      let frame: Awaited<ReturnType<ShtrihTransport["execute"]>>;
      try {
        frame = await this.transport.execute(def.code, data);
      } catch (err) {
        const retry =
          options.readOnly &&
          !retriedUncertain &&
          err instanceof DeviceTimeoutError &&
          err.uncertain &&
          !this.transport.disconnected;
        if (!retry) throw err;
        retriedUncertain = true;
        continue;
      }
      const code = frame.data[0] ?? ERR_OK;
      if (code === ERR_OK) return def.decodeAnswer(frame.data.subarray(1));
      if (code === ERR_BUSY && polls++ < deadline) {
        await this.sleep(pollMs);
        continue;
      }
      if (code === ERR_AWAITING_CONTINUE_PRINT && def.code !== continuePrint.code && continued++ < 3) {
        // The device finished printing a document after paper was loaded only once told so.
        await this.call(continuePrint, { password: this.o.continuePrintPassword });
        continue;
      }
      throw deviceError(code, def.code);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.o.timers.setTimeout(resolve, ms));
  }
}

/**
 * The same error, but known NOT to have fiscalized anything (e.g. a timeout while adding an item:
 * only FF45 creates a fiscal document, so the sale certainly did not go through).
 */
export function asCertain(err: unknown, message?: string): unknown {
  if (!(err instanceof FiscalDeviceError) || !err.uncertain) return err;
  const text = message ?? err.message;
  if (err instanceof DeviceTimeoutError)
    return new DeviceTimeoutError(text, { uncertain: false, cause: err });
  if (err instanceof DeviceDisconnectedError)
    return new DeviceDisconnectedError(text, { uncertain: false, cause: err });
  return new FiscalDeviceError(err.kassaCode, text, {
    uncertain: false,
    cause: err,
    deviceCode: err.deviceCode,
  });
}

/**
 * The same error, but the outcome is unknown: used when a failed FF45 could not be checked against
 * the FN (a device could register the document and still report an error while printing it).
 */
export function asUncertain(err: unknown, message?: string): unknown {
  if (!(err instanceof FiscalDeviceError) || err.uncertain) return err;
  const text =
    message ??
    `${err.message} Kassa could not check whether the receipt was registered: it will check the device's documents before printing again.`;
  if (err instanceof DeviceTimeoutError) return new DeviceTimeoutError(text, { uncertain: true, cause: err });
  if (err instanceof DeviceDisconnectedError)
    return new DeviceDisconnectedError(text, { uncertain: true, cause: err });
  return new FiscalDeviceError(err.kassaCode, text, {
    uncertain: true,
    cause: err,
    deviceCode: err.deviceCode,
  });
}
