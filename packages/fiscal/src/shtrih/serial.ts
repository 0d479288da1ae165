/** Opens a real serial line (or a pty) to a Shtrih-M register with `serialport` 13. */
import { SerialPort } from "serialport";
import { DeviceDisconnectedError } from "../device/errors.ts";
import { BAUD_RATES } from "./commands/exchange.ts";
import { ShtrihDevice, type ShtrihDeviceOptions } from "./shtrih-device.ts";

export interface OpenShtrihSerialOptions extends ShtrihDeviceOptions {
  /** e.g. /dev/ttyUSB0, /dev/ttyACM0, COM3, or a socat pty path. */
  path: string;
  /** Default 115200 (newer models; older ones use 4800). 8N1 always. */
  baudRate?: number;
}

export async function openShtrihSerial(options: OpenShtrihSerialOptions): Promise<ShtrihDevice> {
  const { path, baudRate = 115200, ...deviceOptions } = options;
  if (typeof path !== "string" || path.length === 0) throw new TypeError('"path" must be a serial port path');
  if (!(BAUD_RATES as readonly number[]).includes(baudRate)) {
    throw new TypeError(`"baudRate" must be one of ${BAUD_RATES.join(", ")}, got ${baudRate}`);
  }
  const port = new SerialPort({ path, baudRate, dataBits: 8, stopBits: 1, parity: "none", autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) =>
      err
        ? reject(
            new DeviceDisconnectedError(
              `Cannot open the fiscal register's port ${path}: ${err.message}. Check the cable, the port name and that no other program holds it.`,
              { uncertain: false, cause: err },
            ),
          )
        : resolve(),
    ),
  );
  const device = new ShtrihDevice(port, { ...deviceOptions, ownsStream: true });
  // The model is read (FC) and logged on connect, as vendor drivers do; a register that does not
  // answer it is still usable, and identify() asks again later.
  await device.identify().catch((err: Error) => {
    deviceOptions.log?.(`fiscal register on ${path} did not say its model (FC): ${err.message}`);
  });
  return device;
}
