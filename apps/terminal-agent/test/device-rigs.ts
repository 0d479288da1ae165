import { AtolDevice, AtolEmulator } from "@kassa/fiscal/atol";
import { type FakeClock, type FakeFn, KktEmulator } from "@kassa/fiscal/emulator";
import { receiptTagFor } from "@kassa/fiscal/shtrih";
import type { RawEnv } from "../src/env.ts";
import type { DeviceSource } from "../src/fiscal/open-device.ts";
import { documentsFor, emulatorSource } from "./emulator-source.ts";

// One register family's emulator behind the agent, with each fault of the device fault matrix
// expressed in that family's terms, so a test body is written once and runs against Shtrih-M and
// ATOL alike (issue 13: "the device fault tests run against both families").

export type Family = "shtrih" | "atol";

/** KASSA_DEVICE_FAMILIES narrows a run to one family (default: both). */
export const FAMILIES = (process.env.KASSA_DEVICE_FAMILIES ?? "shtrih,atol").split(",") as Family[];

export interface DeviceRig {
  readonly family: Family;
  /** What the agent's environment says about the register (KASSA_KKT_KIND). */
  readonly env: RawEnv;
  readonly source: DeviceSource;
  readonly fn: FakeFn;
  /** How many fiscal documents on the FN carry this receipt's id (tag 1192). */
  documentsFor(receiptId: string): number;
  paperOut(): void;
  paperIn(): void;
  /** Paper runs out in the middle of the next two-item receipt. */
  paperOutMidReceipt(): void;
  /**
   * What paper out mid-receipt leaves: Shtrih-M stops before the receipt is closed (the receipt
   * waits), ATOL's JSON task closes the receipt in the FN and reports it not printed to the end.
   */
  readonly midReceiptPaperOut: "waits" | "fiscalized";
  /**
   * Power goes while the next receipt is closed: before the register made its document, or after
   * (before it answered). Back on its own after `restoreAfterMs`, else at powerOn().
   */
  powerLoss(when: "before-document" | "after-document", restoreAfterMs?: number): void;
  powerOn(): Promise<void>;
  /**
   * The link to the register goes: Shtrih-M's cable is pulled mid-receipt; ATOL's driver web server
   * goes down (connections refused) before the receipt is posted.
   */
  linkLost(): Promise<void>;
  linkBack(): Promise<void>;
  expireShift(): void;
  /** The register cannot reach the OFD (its unsent documents age). */
  ofdDown(): void;
  /**
   * The register finishes the next receipt but its answer comes after the driver stopped waiting.
   * The returned function lets the answer through (ATOL: the stuck task is released).
   */
  answerLate(): () => void;
  /** Noise on the link: Shtrih-M NAKs, garbage and bad checksums; ATOL answers that are not JSON. */
  lineNoise(): void;
  close(): Promise<void>;
}

export async function createRig(family: Family, clock: FakeClock): Promise<DeviceRig> {
  return family === "atol" ? atolRig(clock) : shtrihRig(clock);
}

function shtrihRig(clock: FakeClock): DeviceRig {
  const emulator = new KktEmulator({ clock });
  const source = emulatorSource(emulator);
  return {
    family: "shtrih",
    env: {},
    source,
    get fn() {
      return emulator.fn;
    },
    documentsFor: (receiptId) => documentsFor(emulator, receiptId),
    paperOut: () => emulator.paperOut(),
    paperIn: () => emulator.paperIn(),
    paperOutMidReceipt: () => void emulator.paperOutAfterItems(1),
    midReceiptPaperOut: "waits",
    powerLoss: (when, restoreAfterMs) =>
      void emulator.faults.inject({
        kind: "power-loss",
        command: 0xff45,
        stage: when === "after-document" ? "after-execute" : "before-execute",
        ...(restoreAfterMs === undefined ? {} : { restoreAfterMs }),
      }),
    powerOn: async () => emulator.powerOn(),
    linkLost: async () =>
      void emulator.faults.inject({ kind: "cable-pulled", command: 0xff46, stage: "after-execute" }),
    linkBack: async () => emulator.plugCable(),
    expireShift: () => emulator.expireShift(),
    ofdDown: () => undefined, // no OFD relay in these agents: documents stay unsent
    answerLate: () => {
      emulator.faults.inject({ kind: "silence", command: 0xff45, stage: "after-execute", times: 6 });
      return () => undefined;
    },
    lineNoise: () => {
      emulator.faults.inject({ kind: "nak", times: 3 });
      emulator.faults.inject({ kind: "garbage", command: 0xff46 });
      emulator.faults.inject({ kind: "bad-lrc", command: 0xff45 });
    },
    close: async () => undefined, // the agent's close() closes the source
  };
}

async function atolRig(clock: FakeClock): Promise<DeviceRig> {
  const emulator = new AtolEmulator({ clock });
  await emulator.listen(0);
  const source: DeviceSource = {
    emulator: null,
    // Short timeouts, as the Shtrih-M source has, so fault tests run fast.
    open: async () =>
      new AtolDevice({ url: emulator.url, pollMs: 2, taskTimeoutMs: 300, requestTimeoutMs: 1000 }),
    control: (line) => emulator.control(line),
    close: () => undefined, // the emulator outlives agent restarts; the rig closes it
  };
  return {
    family: "atol",
    env: { KASSA_KKT_KIND: "atol" },
    source,
    fn: emulator.fn,
    documentsFor: (receiptId) =>
      emulator.fn.allDocuments().filter((d) => d.receiptTag === receiptTagFor(receiptId)).length,
    paperOut: () => void emulator.control("paper out"),
    paperIn: () => void emulator.control("paper in"),
    paperOutMidReceipt: () => void emulator.control("paper mid-receipt"),
    midReceiptPaperOut: "fiscalized",
    powerLoss: (when, restoreAfterMs) =>
      void emulator.control(
        `power-loss stage=${when === "after-document" ? "after-fn" : "before-fn"}${restoreAfterMs === undefined ? "" : ` restore=${restoreAfterMs}ms`}`,
      ),
    powerOn: async () => {
      await emulator.up(); // before "power-on", whose own up() would race this one's listen
      emulator.control("power-on");
    },
    linkLost: () => emulator.down(),
    linkBack: () => emulator.up(),
    expireShift: () => void emulator.control("expire-shift"),
    ofdDown: () => void emulator.control("ofd down"),
    answerLate: () => {
      emulator.control("stuck sell");
      return () => void emulator.control("release");
    },
    lineNoise: () => void emulator.control("garbage 3"),
    close: () => emulator.close(),
  };
}
