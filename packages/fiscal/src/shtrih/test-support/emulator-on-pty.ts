/** The emulator served on one end of a socat pty pair, the driver on the other. */
import { SerialPort } from "serialport";
import { KktEmulator, type KktEmulatorOptions } from "../../emulator/kkt-emulator.ts";
import { openShtrihSerial } from "../serial.ts";
import type { ShtrihDevice, ShtrihDeviceOptions } from "../shtrih-device.ts";
import { openSocatPair, type SocatPair } from "./socat-pair.ts";

export interface PtyRig {
  emulator: KktEmulator;
  device: ShtrihDevice;
  pair: SocatPair;
  close(): Promise<void>;
}

export async function startPtyRig(
  emulatorOptions: KktEmulatorOptions = {},
  deviceOptions: ShtrihDeviceOptions = {},
): Promise<PtyRig> {
  const pair = await openSocatPair();
  const emulator = new KktEmulator(emulatorOptions);
  const port = new SerialPort({ path: pair.devicePath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  // On a serial line a pulled cable does not close the port: the host just hears nothing.
  emulator.attach(port, { onCablePulled: "mute" });
  const device = await openShtrihSerial({ path: pair.hostPath, baudRate: 115200, ...deviceOptions });
  return {
    emulator,
    device,
    pair,
    close: async () => {
      await device.close();
      emulator.close();
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
      await pair.close();
    },
  };
}
