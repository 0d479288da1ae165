/**
 * The emulator's control language, shared by the CLI's stdin and its `--fault` flags:
 *
 *   status | docs [n] | faults | clear-faults | help
 *   paper-out | paper-in | paper-out-after <items>
 *   power-off [restore-after] | power-on | power-cycle
 *   cable-pull [restore-after] | cable-plug
 *   shift-expire | fn-full | advance <duration>          (advance needs an adjustable clock)
 *   fault <kind> [times] [command=FF45] [after=N] [stage=after-execute] [restore=2s] [bytes=AA,BB] [delay=5s]
 *
 * Durations: 500ms, 10s, 90m, 25h, 30d.
 */
import { parseDuration } from "./clock.ts";
import { FAULT_KINDS, type FaultKind, type FaultSpec, type FaultStage } from "./fault-plan.ts";
import type { KktEmulator } from "./kkt-emulator.ts";

export const CONTROL_HELP = `commands:
  status                      mode, paper, shift, FN counters, armed faults
  docs [n]                    the last n fiscal documents (default 5)
  paper-out | paper-in        the paper sensor; paper-out-after <n> runs out while item n prints
  power-off [ms] | power-on | power-cycle
  cable-pull [ms] | cable-plug
  shift-expire                the open shift is over 24 h now
  fn-full                     the FN archive is full now
  advance <duration>          move the emulator's clock (e.g. advance 25h, advance 30d)
  fault <kind> [times] [command=FF45] [after=N] [stage=...] [restore=2s] [bytes=AA,BB] [delay=5s]
      kinds: ${FAULT_KINDS.join(", ")}
  faults | clear-faults
  help`;

export interface ControlContext {
  emulator: KktEmulator;
  /** Moves the clock; absent when the clock cannot be moved. */
  advance?: (ms: number) => void;
}

/** Parses `fault …` arguments (without the word "fault"). @throws TypeError naming the bad part */
export function parseFault(args: string[]): FaultSpec {
  const [kind, ...rest] = args;
  if (!kind || !FAULT_KINDS.includes(kind as FaultKind)) {
    throw new TypeError(`fault kind must be one of ${FAULT_KINDS.join(", ")}, got "${kind ?? ""}"`);
  }
  const spec: FaultSpec = { kind: kind as FaultKind };
  for (const arg of rest) {
    const eq = arg.indexOf("=");
    if (eq < 0) {
      spec.times = arg === "always" ? Number.POSITIVE_INFINITY : wholeNumber(arg, "times");
      continue;
    }
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    switch (key) {
      case "times":
        spec.times = value === "always" ? Number.POSITIVE_INFINITY : wholeNumber(value, "times");
        break;
      case "command":
        spec.command = commandCode(value);
        break;
      case "after":
        spec.after = wholeNumber(value, "after");
        break;
      case "stage":
        spec.stage = value as FaultStage;
        break;
      case "restore":
        spec.restoreAfterMs = parseDuration(value);
        break;
      case "bytes":
        spec.bytes = value.split(",").map((b) => Number.parseInt(b, 16));
        break;
      case "delay":
        spec.delayMs = parseDuration(value);
        break;
      default:
        throw new TypeError(
          `unknown fault option "${key}": use times, command, after, stage, restore, bytes or delay`,
        );
    }
  }
  return spec;
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new TypeError(`"${what}" must be a whole number, got "${text}"`);
  return Number(text);
}

/** "FF45", "0xff45", "10" (hex, as the protocol documents write them) → code. */
function commandCode(text: string): number {
  const hex = text.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{2}$|^ff[0-9a-f]{2}$/.test(hex)) {
    throw new TypeError(`"command" must be a hex command code like 10, E0 or FF45, got "${text}"`);
  }
  return Number.parseInt(hex, 16);
}

/** "E0=20s,41=5s" → { 0xe0: 20000, 0x41: 5000 } (the CLI's --exec-ms). @throws TypeError */
export function parseExecutionTimes(text: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const [code, duration] = part.split("=");
    if (!code || !duration) throw new TypeError(`"${part}" must look like E0=20s`);
    out[commandCode(code)] = parseDuration(duration);
  }
  return out;
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");

export function describeStatus(emulator: KktEmulator): string {
  const s = emulator.status();
  const lines = [
    `power ${s.powered ? "on" : "OFF"}, cable ${s.cablePlugged ? "plugged" : "PULLED"}, answer pending: ${s.pendingAnswer ? "yes" : "no"}`,
    `mode ${s.mode & 0x0f} (0x${hex2(s.mode)}), submode ${s.submode}, paper ${s.paper}${s.receiptOpen ? ", receipt open" : ""}`,
    `shift ${s.shiftNumber} ${s.shiftOpen ? (s.shiftExpired ? "open, OVER 24 H" : "open") : "closed"}`,
    `FN ${emulator.fn.fnNumber}: last FD ${s.lastFdNumber}, unsent ${s.unsentCount}${s.oldestUnsentAt ? ` (oldest ${s.oldestUnsentAt})` : ""}, warnings 0b${s.fnWarnings.toString(2).padStart(4, "0")}`,
    `faults armed: ${s.faults.length === 0 ? "none" : s.faults.map((f) => `${f.kind}×${f.remaining}${f.command === undefined ? "" : ` on ${f.command.toString(16).toUpperCase()}`}`).join(", ")}`,
  ];
  return lines.join("\n");
}

/** Runs one control line. Returns the text to show. @throws TypeError on a bad command */
export function runControl(ctx: ControlContext, input: string): string {
  const [word, ...args] = input.trim().split(/\s+/);
  const { emulator } = ctx;
  const optionalMs = () => (args[0] === undefined ? undefined : parseDuration(args[0]));
  switch (word) {
    case undefined:
    case "":
      return "";
    case "help":
      return CONTROL_HELP;
    case "status":
      return describeStatus(emulator);
    case "docs": {
      const n = args[0] === undefined ? 5 : wholeNumber(args[0], "n");
      const docs = emulator.documents().slice(-n);
      return docs
        .map(
          (d) =>
            `FD ${d.fdNumber} type ${d.documentType} ${d.dateTime} FP ${d.fiscalSign}${d.receiptTag ? ` 1192=${d.receiptTag}` : ""}${d.total === null ? "" : ` total ${(d.total / 100).toFixed(2)}`}${d.ofdConfirmed ? " (OFD ok)" : ""}`,
        )
        .join("\n");
    }
    case "paper-out":
      emulator.paperOut();
      return "paper out";
    case "paper-in":
      emulator.paperIn();
      return `paper loaded (${emulator.device.printer.paper})`;
    case "paper-out-after":
      emulator.paperOutAfterItems(wholeNumber(args[0] ?? "", "items"));
      return `paper will run out while item ${args[0]} prints`;
    case "power-off":
      emulator.powerOff(optionalMs());
      return "power off";
    case "power-on":
      emulator.powerOn();
      return "power on";
    case "power-cycle":
      emulator.powerCycle();
      return "power cycled (pending answer and open receipt lost)";
    case "cable-pull":
      emulator.pullCable(optionalMs());
      return "cable pulled";
    case "cable-plug":
      emulator.plugCable();
      return "cable plugged";
    case "shift-expire":
      emulator.expireShift();
      return "the shift is over 24 h";
    case "fn-full":
      emulator.fillFn();
      return "the FN archive is full";
    case "advance": {
      if (!ctx.advance) throw new TypeError("this emulator's clock cannot be moved");
      const ms = parseDuration(args[0] ?? "");
      ctx.advance(ms);
      return `clock moved ${args[0]} forward`;
    }
    case "fault": {
      const f = emulator.faults.inject(parseFault(args));
      return `fault #${f.id} armed: ${f.kind} ×${f.remaining}${f.command === undefined ? "" : ` on ${f.command.toString(16).toUpperCase()}`}${f.skip ? ` after ${f.skip}` : ""} (${f.stage})`;
    }
    case "faults":
      return describeStatus(emulator).split("\n").at(-1) ?? "";
    case "clear-faults":
      emulator.faults.clear();
      return "faults cleared";
    default:
      throw new TypeError(`unknown command "${word}": type help for the list`);
  }
}
