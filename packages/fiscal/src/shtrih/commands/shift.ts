/** Shift commands: E0 open shift, 40 X report, 41 Z report (close shift). Protocol v1.17. */
import { passwordOnlyCommand } from "./define.ts";

// Opening a shift can take 20–30 s while the device updates keys; the vendor driver waits 120 s.
export const openShift = passwordOnlyCommand(0xe0, "open shift", 120_000);
export const xReport = passwordOnlyCommand(0x40, "X report", 30_000);
export const zReport = passwordOnlyCommand(0x41, "Z report (close shift)", 65_000);
