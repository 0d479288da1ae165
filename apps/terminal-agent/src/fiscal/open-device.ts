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
  if (config.kktKind === "atol") return createAtolSource(config, log);
  // The driver logs the model it finds (FC) on connect, like vendor drivers do.
  const driverLog = (line: string) => log.info({ component: "kkt" }, line);
  const observe = { log: driverLog, ...(onRoundTrip ? { onRoundTrip } : {}) };
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

/**
 * An ATOL register (KASSA_KKT_KIND=atol) through the ATOL driver's web server at KASSA_ATOL_URL, or
 * (KASSA_KKT_EMULATOR=1) the ATOL web requests emulator in this process on a loopback port, its FN
 * kept in the data directory. Everything above FiscalDevice is the same as for Shtrih-M.
 */
async function createAtolSource(config: AgentConfig, log: Logger): Promise<DeviceSource> {
  const { AtolDevice, AtolEmulator } = await import("@kassa/fiscal/atol");
  if (config.atol) {
    const { url } = config.atol;
    return { emulator: null, open: async () => new AtolDevice({ url }), close: () => undefined };
  }
  const emulator = new AtolEmulator({
    stateFile: config.emulatorStatePath ?? join(config.dataDir, "atol-emulator.json"),
    log: (line) => log.debug({ component: "atol-emulator" }, line),
  });
  await emulator.listen(0, "127.0.0.1");
  return {
    emulator: null,
    open: async () => new AtolDevice({ url: emulator.url }),
    control: (line) => emulator.control(line),
    close: () => void emulator.close(),
  };
}
