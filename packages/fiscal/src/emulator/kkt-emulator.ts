/**
 * A Shtrih-M fiscal register emulator: protocol v1 on any Duplex (a linked-pair end in process, a
 * `serialport` SerialPort on a pty or a real serial line), a KKT with modes, paper and print time,
 * a fake FN, and fault injection.
 *
 * ```ts
 * const emulator = new KktEmulator({ clock });
 * const line = emulator.connect();            // host end of an in-memory serial line
 * emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "after-execute" });
 * emulator.receiptsByTag("r-42");              // fiscal documents carrying tag 1192 = "r-42"
 * ```
 */
import type { Duplex } from "node:stream";
import { DeviceDisconnectedError } from "../device/errors.ts";
import type { DeviceType } from "../shtrih/commands/device.ts";
import { byCode } from "../shtrih/commands/index.ts";
import { ERR_BUSY } from "../shtrih/error-codes.ts";
import { encodeAnswerFrame, type Frame } from "../shtrih/frame.ts";
import { registerClassicCommands } from "./classic-commands.ts";
import { type Clock, systemClock } from "./clock.ts";
import { registerCorrectionCommands } from "./correction-commands.ts";
import { registerDeviceCommands } from "./device-commands.ts";
import { DeviceLink } from "./device-link.ts";
import { FakeFn, type FnOptions } from "./fake-fn.ts";
import { type ActiveFault, FaultPlan } from "./fault-plan.ts";
import { registerFnCommands } from "./fn-commands.ts";
import type { FnDocument } from "./fn-document.ts";
import { KktDevice } from "./kkt-device.ts";
import { createLinkedPair, type LinkedPair, type LinkedPairOptions } from "./linked-pair.ts";
import { registerOfdCommands } from "./ofd-commands.ts";
import type { PaperState } from "./printer.ts";
import { registerReceiptCommands } from "./receipt-commands.ts";
import { registerShiftCommands } from "./shift-commands.ts";
import { loadKktRegisters, loadState, saveState } from "./state-file.ts";
import { registerStatusCommands } from "./status-commands.ts";

export interface KktEmulatorOptions {
  /** Time source for the FN rules, document dates and print time. Default: the system clock. */
  clock?: Clock;
  /** Print time per printed line, ms. Default 0 (benches); a real printer takes ~10–30 ms. */
  printMsPerLine?: number;
  /** Keep the FN in this JSON file and reload it on start (see state-file.ts). Default: memory only. */
  stateFile?: string;
  /** A fresh FN's identity and limits (ignored when `stateFile` already holds an FN). */
  fn?: FnOptions;
  /** Operator passwords → operator number. Default: password n is operator n, 1..30. */
  operators?: ReadonlyMap<number, number>;
  /** FF46 tax group → FFD 1199 code. Default: tax-groups.ts. */
  taxGroups?: Readonly<Record<number, number>>;
  /** Inter-byte timeout, ms. Default 50. */
  byteTimeoutMs?: number;
  /**
   * How long commands take before their answer is ready, ms, by command code — e.g.
   * `{ 0xe0: 20_000 }`: a real register opening a shift can update keys for 20–30 s. Meanwhile
   * ENQ gets a bare ACK. Default: every answer is immediate.
   */
  executionMs?: Readonly<Record<number, number>>;
  /** Open a shift at start-up when none is open (handy for benches). Default false. */
  openShift?: boolean;
  /** Human-readable log lines (the CLI prints them). Default: silent. */
  log?: (line: string) => void;
  /** What 0xFC answers (model, name…). Default: DEFAULT_DEVICE_TYPE (kkt-device.ts). */
  deviceType?: DeviceType;
}

export interface AttachOptions {
  /**
   * What "cable pulled" does to this stream: "end" destroys it (the host sees the line close; a
   * linked pair), "mute" keeps it open but dead (a serial port: the host just hears nothing).
   * Default "end".
   */
  onCablePulled?: "end" | "mute";
}

/** A snapshot for tests, the CLI's `status` and logs. */
export interface EmulatorStatus {
  powered: boolean;
  cablePlugged: boolean;
  mode: number;
  submode: number;
  paper: PaperState;
  shiftOpen: boolean;
  shiftExpired: boolean;
  shiftNumber: number;
  receiptOpen: boolean;
  /** Money register 241 (kopecks). */
  cashInDrawer: number;
  lastFdNumber: number;
  unsentCount: number;
  oldestUnsentAt: string | null;
  pendingAnswer: boolean;
  fnWarnings: number;
  faults: readonly ActiveFault[];
}

export class KktEmulator {
  readonly faults = new FaultPlan();
  readonly device: KktDevice;
  readonly clock: Clock;
  private readonly link: DeviceLink;
  private readonly stateFile: string | undefined;
  private readonly log: ((line: string) => void) | undefined;
  private readonly executionMs: Readonly<Record<number, number>>;
  private cableMode: "end" | "mute" = "end";
  /** The in-memory line `connect()` made, if any. */
  private ownLine: LinkedPair | null = null;
  private restoreTimer: NodeJS.Timeout | null = null;
  private _powered = true;
  private _cablePlugged = true;

  constructor(options: KktEmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.stateFile = options.stateFile;
    this.log = options.log;
    this.executionMs = options.executionMs ?? {};
    const now = this.clock.now();
    const saved = this.stateFile ? loadState(this.stateFile) : null;
    const fn = saved ? FakeFn.fromJSON(saved) : FakeFn.create(options.fn ?? {}, now);
    this.device = new KktDevice({
      clock: this.clock,
      fn,
      printMsPerLine: options.printMsPerLine ?? 0,
      ...(options.operators ? { operators: options.operators } : {}),
      ...(options.taxGroups ? { taxGroups: options.taxGroups } : {}),
      ...(options.deviceType ? { deviceType: options.deviceType } : {}),
    });
    registerStatusCommands(this.device);
    registerShiftCommands(this.device);
    registerReceiptCommands(this.device);
    registerFnCommands(this.device);
    registerOfdCommands(this.device);
    registerDeviceCommands(this.device);
    registerClassicCommands(this.device);
    registerCorrectionCommands(this.device);
    this.link = new DeviceLink({
      onFrame: (frame) => this.onFrame(frame),
      byteTimeoutMs: options.byteTimeoutMs,
      log: this.log,
    });
    if (this.stateFile) {
      if (saved) Object.assign(this.device, loadKktRegisters(this.stateFile));
      this.device.onCountersChange = () => this.save();
      fn.onChange = () => this.save();
      if (!saved) this.save();
    }
    if (options.openShift && !fn.shiftOpen) fn.openShift(now, []);
    this.log?.(
      `KKT emulator: FN ${fn.fnNumber}, last FD ${fn.lastFdNumber}, shift ${fn.shiftNumber} ${fn.shiftOpen ? "open" : "closed"}${saved ? ` (loaded from ${this.stateFile})` : ""}`,
    );
  }

  get fn(): FakeFn {
    return this.device.fn;
  }

  private counters() {
    return { cashInDrawer: this.device.cashInDrawer, documentNumber: this.device.documentNumber };
  }

  /** Writes the FN and the KKT's counters to the state file (when there is one). */
  private save(): void {
    if (this.stateFile) saveState(this.stateFile, this.device.fn.toJSON(), this.counters());
  }

  get powered(): boolean {
    return this._powered;
  }

  get cablePlugged(): boolean {
    return this._cablePlugged;
  }

  // --- the line --------------------------------------------------------------------------------

  /** Serve protocol v1 on `stream` (replaces any stream attached before). */
  attach(stream: Duplex, options: AttachOptions = {}): void {
    this.cableMode = options.onCablePulled ?? "end";
    this.link.attach(stream);
    this.link.muted = !this._powered || (!this._cablePlugged && this.cableMode === "mute");
  }

  /**
   * A new in-memory serial line to this emulator: returns the host's end. Use it as the driver's
   * "open the port" step; after a pulled cable is plugged back, call it again.
   * @throws DeviceDisconnectedError while the cable is pulled
   */
  connect(options: LinkedPairOptions = {}): Duplex {
    if (!this._cablePlugged) {
      throw new DeviceDisconnectedError(
        "The fiscal register's cable is pulled (emulator): plug it back (plugCable) and connect again",
        { uncertain: false },
      );
    }
    // One device, one line: an earlier in-memory line is unplugged (its host sees it close).
    const previous = this.ownLine;
    const pair = createLinkedPair(options);
    this.attach(pair.device, { onCablePulled: "end" });
    previous?.unplug();
    this.ownLine = pair;
    return pair.host;
  }

  /** Stops serving the line and cancels pending power/cable restores. The FN stays as it is. */
  close(): void {
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = null;
    this.link.detach(this.cableMode === "end");
  }

  // --- physical controls -----------------------------------------------------------------------

  /** Cuts power: the pending answer, the open receipt and any half-read frame are lost. */
  powerOff(restoreAfterMs?: number): void {
    this._powered = false;
    this.link.muted = true;
    this.link.pending = null;
    this.link.resetReceiver();
    this.device.powerOff();
    this.log?.("power OFF (pending answer and open receipt lost; FN documents kept)");
    this.scheduleRestore(restoreAfterMs, () => this.powerOn());
  }

  powerOn(): void {
    if (this._powered) return;
    this._powered = true;
    this.link.muted = !this._cablePlugged && this.cableMode === "mute";
    this.log?.("power ON");
  }

  powerCycle(): void {
    this.powerOff();
    this.powerOn();
  }

  /** Pulls the serial cable. The device keeps power: a pending answer survives for the next ENQ. */
  pullCable(restoreAfterMs?: number): void {
    this._cablePlugged = false;
    if (this.cableMode === "end") this.link.detach(true);
    else this.link.muted = true;
    this.log?.("cable PULLED");
    this.scheduleRestore(restoreAfterMs, () => this.plugCable());
  }

  plugCable(): void {
    if (this._cablePlugged) return;
    this._cablePlugged = true;
    if (this.cableMode === "mute") this.link.muted = !this._powered;
    this.log?.("cable plugged back");
  }

  /** The paper roll ends now (mid-printout if the printer is printing). */
  paperOut(): void {
    this.device.printer.paperOut();
    this.log?.(`paper OUT (${this.device.printer.paper})`);
  }

  paperIn(): void {
    this.device.printer.paperIn();
    this.log?.(`paper loaded (${this.device.printer.paper})`);
  }

  /** The paper runs out while the n-th next item (FF46) prints: that item is registered, the next is refused. */
  paperOutAfterItems(n: number): ActiveFault {
    if (!Number.isInteger(n) || n < 1) throw new TypeError(`"n" must be a whole number ≥ 1, got ${n}`);
    return this.faults.inject({ kind: "paper-out", command: 0xff46, after: n - 1 });
  }

  /** The open shift is now over 24 h old. */
  expireShift(): void {
    this.fn.expireShift(this.clock.now());
    this.log?.("shift is now over 24 h");
  }

  /**
   * Service swaps the fiscal drive: a fresh FN (its own number, FD numbering from 1 with its
   * registration report) replaces the current one; the old FN's documents go with it.
   */
  replaceFn(options: FnOptions & { openShift?: boolean } = {}): FakeFn {
    const now = this.clock.now();
    const { openShift, ...fnOptions } = options;
    const fn = FakeFn.create(fnOptions, now);
    if (openShift) fn.openShift(now, []);
    if (this.stateFile) {
      const file = this.stateFile;
      fn.onChange = () => saveState(file, fn.toJSON(), this.counters());
      saveState(file, fn.toJSON(), this.counters());
    }
    this.device.fn = fn;
    this.device.receipt = null;
    this.device.tlvCursor = null;
    this.log?.(`FN replaced: now FN ${fn.fnNumber}, last FD ${fn.lastFdNumber}`);
    return fn;
  }

  /** The FN archive is full from now on. */
  fillFn(): void {
    this.fn.fillUp();
    this.log?.("FN archive is now full");
  }

  // --- inspection ------------------------------------------------------------------------------

  documents(): readonly FnDocument[] {
    return this.fn.allDocuments();
  }

  /** Receipts (type 3) whose tag 1192 is `receiptId`: exactly one per fiscalized sale. */
  receiptsByTag(receiptId: string): FnDocument[] {
    return this.fn.allDocuments().filter((d) => d.documentType === 3 && d.receiptTag === receiptId);
  }

  countReceiptsByTag(receiptId: string): number {
    return this.receiptsByTag(receiptId).length;
  }

  /** Correction receipts (type 31) whose tag 1192 is `receiptId`. */
  correctionsByTag(receiptId: string): FnDocument[] {
    return this.fn.allDocuments().filter((d) => d.documentType === 31 && d.receiptTag === receiptId);
  }

  status(): EmulatorStatus {
    const now = this.clock.now();
    const oldest = this.fn.firstUnsent();
    return {
      powered: this._powered,
      cablePlugged: this._cablePlugged,
      mode: this.device.mode(now),
      submode: this.device.printer.submode(),
      paper: this.device.printer.paper,
      shiftOpen: this.fn.shiftOpen,
      shiftExpired: this.fn.shiftExpired(now),
      shiftNumber: this.fn.shiftNumber,
      receiptOpen: this.device.receipt !== null,
      cashInDrawer: this.device.cashInDrawer,
      lastFdNumber: this.fn.lastFdNumber,
      unsentCount: this.fn.unsentCount,
      oldestUnsentAt: oldest?.dateTime ?? null,
      pendingAnswer: this.link.pending !== null,
      fnWarnings: this.fn.warnings(now),
      faults: this.faults.list(),
    };
  }

  // --- frames ----------------------------------------------------------------------------------

  private onFrame(frame: Frame): void {
    const fired = this.faults.armed ? this.faults.take(frame.command) : NO_FAULTS;
    let afterExecute: ActiveFault | undefined;
    let paperOutAfter = false;
    for (const f of fired) {
      this.log?.(
        `fault ${f.kind}${f.stage === "before-execute" ? "" : ` (${f.stage})`} on ${commandName(frame.command)}`,
      );
      switch (f.kind) {
        case "nak":
          this.link.sendNak();
          return;
        case "busy":
          // Not executed; answered like a device still printing.
          this.respond(encodeAnswerFrame(frame.command, ERR_BUSY));
          return;
        case "refuse":
          // Not executed; the device refuses the command's data with the given error byte.
          this.respond(encodeAnswerFrame(frame.command, f.code));
          return;
        case "garbage":
          this.link.send(Uint8Array.from(f.bytes));
          break;
        case "continue-print":
          this.device.printer.paper = "awaiting-continue";
          break;
        case "fn-full":
          this.fn.fillUp();
          break;
        case "shift-expiry":
          this.fn.expireShift(this.clock.now());
          break;
        case "paper-out":
          paperOutAfter = true;
          break;
        case "silence":
        case "power-loss":
        case "cable-pulled":
          if (f.stage === "before-execute") {
            this.stopAt(f);
            return;
          }
          afterExecute = f;
          break;
        case "bad-lrc":
        case "slow":
          afterExecute = f;
          break;
      }
    }

    const answer = this.device.execute(frame.command, frame.data);
    const bytes = encodeAnswerFrame(frame.command, answer.error, answer.data);
    if (paperOutAfter) this.device.printer.paperOut(true);
    if (this.log) {
      const err = answer.error === 0 ? "ok" : `error 0x${answer.error.toString(16).padStart(2, "0")}`;
      this.log(`${commandName(frame.command)} → ${err}`);
    }
    if (!afterExecute) {
      const ms = this.executionMs[frame.command];
      if (ms) {
        this.link.sendAck();
        this.link.answerLater(bytes, ms);
        return;
      }
      this.respond(bytes);
      return;
    }
    // The command ran; the fault decides what reaches the host.
    this.link.pending = bytes;
    switch (afterExecute.kind) {
      case "bad-lrc": {
        const corrupt = bytes.slice();
        corrupt[corrupt.length - 1]! ^= 0xff;
        this.link.sendAckAndAnswer(corrupt);
        return;
      }
      case "silence":
        // ACKed and executed; the answer waits for the host's ENQ.
        this.link.sendAck();
        return;
      case "slow":
        this.link.sendAck();
        this.link.answerLater(bytes, afterExecute.delayMs);
        return;
      default:
        this.link.sendAck();
        if (afterExecute.stage === "mid-answer")
          this.link.send(bytes.subarray(0, Math.ceil(bytes.length / 2)));
        this.stopAt(afterExecute);
    }
  }

  private respond(answer: Uint8Array): void {
    this.link.pending = answer;
    this.link.sendAckAndAnswer(answer);
  }

  private stopAt(f: ActiveFault): void {
    if (f.kind === "power-loss") this.powerOff(f.restoreAfterMs);
    else if (f.kind === "cable-pulled") this.pullCable(f.restoreAfterMs);
    // silence before execute: the frame is swallowed, nothing is sent.
  }

  private scheduleRestore(ms: number | undefined, restore: () => void): void {
    if (ms === undefined) return;
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = setTimeout(() => {
      this.restoreTimer = null;
      restore();
    }, ms);
    this.restoreTimer.unref();
  }
}

const NO_FAULTS: ActiveFault[] = [];

function commandName(code: number): string {
  const def = byCode.get(code);
  const hexCode = code.toString(16).toUpperCase().padStart(2, "0");
  return def ? `${hexCode} ${def.name}` : hexCode;
}
