/**
 * The FN is non-volatile: with a `stateFile` the emulator keeps it in a JSON file, rewritten
 * atomically (temp file + rename, fsync'd) after every change, so a restarted emulator process
 * still has its documents, shift and OFD state, and the KKT's own counters (the drawer's cash,
 * the running document number) beside it. The KKT's RAM (an open receipt, the pending answer) is
 * not kept: a restart is a power cycle.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { FiscalDeviceError } from "../device/errors.ts";
import type { FnState } from "./fake-fn.ts";

const VERSION = 1;

/** The KKT's own non-volatile counters (money register 241, the running document number). */
export interface KktRegisters {
  cashInDrawer: number;
  documentNumber: number;
}

interface StateFileContent {
  version: number;
  fn: FnState;
  /** Absent in files written before the classic commands (issue 12): the counters start at 0. */
  kkt?: KktRegisters;
}

export function loadState(path: string): FnState | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new FiscalDeviceError(
      "DEVICE_ERROR",
      `Emulator state file ${path} is not valid JSON: fix or delete it (deleting starts a fresh FN)`,
      { cause: err },
    );
  }
  const content = parsed as Partial<StateFileContent>;
  if (content.version !== VERSION || typeof content.fn !== "object" || content.fn === null) {
    throw new FiscalDeviceError(
      "DEVICE_ERROR",
      `Emulator state file ${path} has an unknown format (version ${String(content.version)}): delete it to start a fresh FN`,
    );
  }
  return content.fn;
}

/** The KKT counters kept beside the FN (0 when the file predates them). Call after loadState. */
export function loadKktRegisters(path: string): KktRegisters {
  try {
    const kkt = (JSON.parse(readFileSync(path, "utf8")) as Partial<StateFileContent>).kkt;
    const int = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : 0);
    return { cashInDrawer: int(kkt?.cashInDrawer), documentNumber: int(kkt?.documentNumber) };
  } catch {
    return { cashInDrawer: 0, documentNumber: 0 };
  }
}

export function saveState(path: string, fn: FnState, kkt?: KktRegisters): void {
  const tmp = `${path}.tmp`;
  // 0600 like the buffer (open-agent-database.ts): the FN holds every document printed, cashiers'
  // INNs included. Rename keeps the temporary file's mode.
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(
      fd,
      JSON.stringify({ version: VERSION, fn, ...(kkt ? { kkt } : {}) } satisfies StateFileContent),
    );
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
