import { join } from "node:path";
import type { FiscalDevice } from "@kassa/fiscal/device";
import type { KktEmulator } from "@kassa/fiscal/emulator";
import { openShtrihSerial, type RoundTrip, ShtrihDevice } from "@kassa/fiscal/shtrih";
import type { Logger } from "pino";
import type { AgentConfig } from "../env.ts";

export interface DeviceSource {
  /** Opens the line to the register; called again after a disconnect. */
  open(): Promise<FiscalDevice>;
  /** The in-process emulator when KASSA_KKT_EMULATOR=1 (demo, tests). */
  emulator: KktEmulator | null;
  /** Runs one line of the emulator's control language (packages/fiscal/src/emulator/control.ts); emulator only. */
  control?: (line: string) => string;
  close(): void;
}

/**
 * The fiscal register behind the agent: a Shtrih-M on a serial port, or (KASSA_KKT_EMULATOR=1)
 * the emulator in this process, talking protocol v1 over an in-memory line through the same driver.
 * The emulator keeps its FN in the data directory, so a restarted agent finds its documents.
 */
export async function createDeviceSource(
  config: AgentConfig,
  log: Logger,
  /** Sees every Shtrih-M command's round trip on the line (RUM `serial.round_trip`). */
  onRoundTrip?: (roundTrip: RoundTrip) => void,
): Promise<DeviceSource> {
  const observe = onRoundTrip ? { onRoundTrip } : {};
  if (config.kkt.emulator) {
    // Loaded only when asked for: a till on a real register never carries the emulator.
    const { KktEmulator, runControl } = await import("@kassa/fiscal/emulator");
    const emulator = new KktEmulator({
      stateFile: config.emulatorStatePath ?? join(config.dataDir, "kkt-emulator.json"),
      log: (line) => log.debug({ component: "kkt-emulator" }, line),
    });
    return {
      emulator,
      open: async () => new ShtrihDevice(emulator.connect(), observe),
      control: (line) => runControl({ emulator }, line),
      close: () => emulator.close(),
    };
  }
  const { port, baud } = config.kkt;
  return {
    emulator: null,
    open: () => openShtrihSerial({ path: port!, baudRate: baud, ...observe }),
    close: () => undefined,
  };
}
