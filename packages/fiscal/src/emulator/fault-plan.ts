/**
 * Fault injection for the emulator. A test (or the CLI) injects faults; the emulator asks the plan,
 * for every good frame it receives, which faults fire on it.
 *
 * ```ts
 * emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "after-execute" });
 * emulator.faults.inject({ kind: "nak", times: 3 });
 * emulator.faults.inject({ kind: "paper-out", command: 0xff46, after: 2 }); // while printing item 3
 * ```
 */
export type FaultKind =
  /** The device answers a good frame with NAK and does not execute it. */
  | "nak"
  /** The command executes; its answer goes out with a wrong LRC (the host NAKs, then asks with ENQ). */
  | "bad-lrc"
  /**
   * No answer. Stage "before-execute" (default): the frame is swallowed — no ACK, not executed.
   * Stage "after-execute": ACK, executed, but the answer is only sent when the host asks with ENQ.
   */
  | "silence"
  /** Junk bytes on the line ahead of the device's reply (ACK and answer still follow). */
  | "garbage"
  /** ACK, executed, but the answer comes `delayMs` later; meanwhile ENQ gets a bare ACK. */
  | "slow"
  /** Error 0x50 "still printing the previous command"; not executed. */
  | "busy"
  /** The device waits for continue-print (submode 3): 0x58 to print commands until B0 arrives. */
  | "continue-print"
  /** Power is cut at `stage`; the pending answer is lost, the FN keeps its documents. */
  | "power-loss"
  /** The cable is pulled at `stage`: the line ends (linked pair) or goes dead (serial port). */
  | "cable-pulled"
  /** The paper runs out while the matching command prints (after it executed). */
  | "paper-out"
  /** The FN archive fills up before the matching command executes. */
  | "fn-full"
  /** The open shift passes 24 h before the matching command executes. */
  | "shift-expiry"
  /** Not executed; answered with the error byte `code` (default 0x33 bad parameters): a content refusal. */
  | "refuse";

export type FaultStage = "before-execute" | "after-execute" | "mid-answer";

export const FAULT_KINDS: readonly FaultKind[] = [
  "nak",
  "bad-lrc",
  "silence",
  "garbage",
  "slow",
  "busy",
  "continue-print",
  "power-loss",
  "cable-pulled",
  "paper-out",
  "fn-full",
  "shift-expiry",
  "refuse",
];

export interface FaultSpec {
  kind: FaultKind;
  /** Only frames carrying this command code (0xFF46, 0x10…). Default: any command. */
  command?: number;
  /** Let this many matching frames pass before the fault fires. Default 0. */
  after?: number;
  /** How many matching frames the fault hits. Default 1; `Infinity` until cleared. */
  times?: number;
  /** For power-loss and cable-pulled (all three stages) and silence (the first two). Default "before-execute". */
  stage?: FaultStage;
  /** For power-loss and cable-pulled: restore power / replug after this many ms. Default: stay down. */
  restoreAfterMs?: number;
  /** For garbage: the junk to send. Default 7 bytes of noise without STX/ENQ/ACK/NAK. */
  bytes?: readonly number[];
  /** For slow: how long the answer takes, ms. Default 1000. */
  delayMs?: number;
  /** For refuse: the device error byte to answer with. Default 0x33 (bad parameters). */
  code?: number;
}

export interface ActiveFault
  extends Required<Omit<FaultSpec, "command" | "restoreAfterMs" | "bytes" | "delayMs" | "code">> {
  id: number;
  command: number | undefined;
  delayMs: number;
  code: number;
  restoreAfterMs: number | undefined;
  bytes: readonly number[];
  /** Frames still to let pass. */
  skip: number;
  /** Hits left. */
  remaining: number;
}

export const DEFAULT_GARBAGE = [0xff, 0x00, 0x37, 0xa5, 0x80, 0x7e, 0x11] as const;

const STAGES: Record<FaultKind, readonly FaultStage[]> = {
  nak: ["before-execute"],
  "bad-lrc": ["after-execute"],
  silence: ["before-execute", "after-execute"],
  garbage: ["before-execute"],
  slow: ["after-execute"],
  busy: ["before-execute"],
  "continue-print": ["before-execute"],
  "power-loss": ["before-execute", "after-execute", "mid-answer"],
  "cable-pulled": ["before-execute", "after-execute", "mid-answer"],
  "paper-out": ["after-execute"],
  "fn-full": ["before-execute"],
  "shift-expiry": ["before-execute"],
  refuse: ["before-execute"],
};

export class FaultPlan {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  /** Every fault that fired, in order: tests assert on it to prove the fault really happened. */
  readonly fired: { id: number; kind: FaultKind; command: number; stage: FaultStage }[] = [];

  inject(spec: FaultSpec): ActiveFault {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new TypeError(`"kind" must be one of ${FAULT_KINDS.join(", ")}, got ${String(spec.kind)}`);
    }
    const allowed = STAGES[spec.kind];
    const stage = spec.stage ?? allowed[0]!;
    if (!allowed.includes(stage)) {
      throw new TypeError(`"stage" for ${spec.kind} must be one of ${allowed.join(", ")}, got ${stage}`);
    }
    const times = spec.times ?? 1;
    if (!(times >= 1)) throw new TypeError(`"times" must be at least 1, got ${times}`);
    const after = spec.after ?? 0;
    if (!Number.isInteger(after) || after < 0)
      throw new TypeError(`"after" must be a whole number ≥ 0, got ${after}`);
    if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) {
      throw new TypeError(`"delayMs" must be a number of milliseconds ≥ 0, got ${spec.delayMs}`);
    }
    if (spec.code !== undefined && (!Number.isInteger(spec.code) || spec.code < 1 || spec.code > 255)) {
      throw new TypeError(`"code" must be a device error byte 1..255, got ${spec.code}`);
    }
    for (const b of spec.bytes ?? []) {
      if (!Number.isInteger(b) || b < 0 || b > 255)
        throw new TypeError(`"bytes" must hold bytes 0..255, got ${b}`);
    }
    const fault: ActiveFault = {
      id: this.nextId++,
      kind: spec.kind,
      command: spec.command,
      after,
      times,
      stage,
      restoreAfterMs: spec.restoreAfterMs,
      bytes: spec.bytes ?? DEFAULT_GARBAGE,
      delayMs: spec.delayMs ?? 1000,
      code: spec.code ?? 0x33,
      skip: after,
      remaining: times,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Removes one fault, or all of them. */
  clear(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  /** Faults still armed. */
  list(): readonly ActiveFault[] {
    return this.faults;
  }

  get armed(): boolean {
    return this.faults.length > 0;
  }

  /** Called once per good frame: which faults fire on this command. Consumes them. */
  take(command: number): ActiveFault[] {
    if (this.faults.length === 0) return NONE;
    const hits: ActiveFault[] = [];
    for (const f of this.faults) {
      if (f.command !== undefined && f.command !== command) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.remaining--;
      hits.push(f);
      this.fired.push({ id: f.id, kind: f.kind, command, stage: f.stage });
    }
    if (hits.length > 0) this.faults = this.faults.filter((f) => f.remaining > 0);
    return hits;
  }
}

const NONE: ActiveFault[] = [];
