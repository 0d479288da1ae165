/**
 * Round-trip time per receipt, driver → emulator, over a real socat pty pair (the kernel's tty layer
 * between two SerialPort instances), and in process over a linked pair (instant, and modelled at
 * 115200 baud) for comparison. The emulator
 * runs in this process with print time 0, so the figures are the protocol's and the host's cost,
 * not a printer's. Prints the figures for a person, then one JSON line per figure.
 *
 *   npx tsx bench/pty-roundtrip.ts [receipts=200]      (BENCH_SMOKE=1 or --smoke: 20 receipts)
 */
import { performance } from "node:perf_hooks";
import type { FiscalDevice } from "../src/device/fiscal-device.ts";
import { KktEmulator } from "../src/emulator/kkt-emulator.ts";
import { ShtrihDevice } from "../src/shtrih/shtrih-device.ts";
import { startPtyRig } from "../src/shtrih/test-support/emulator-on-pty.ts";
import { sampleReceipt } from "../src/shtrih/test-support/receipts.ts";

const SMOKE = process.argv.includes("--smoke") || process.env.BENCH_SMOKE === "1";
const receipts = Number(process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? (SMOKE ? 20 : 200));
if (!Number.isInteger(receipts) || receipts < 1) throw new TypeError(`"receipts" must be a whole number ≥ 1`);

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(s[s.length - 1]!),
  };
}

async function measure(device: FiscalDevice, label: string): Promise<number> {
  await device.openShift({ name: "bench" });
  const warm = Math.min(20, receipts);
  for (let i = 0; i < warm; i++) await device.fiscalizeReceipt(sampleReceipt(`warm-${label}-${i}`));
  const perReceipt: number[] = [];
  for (let i = 0; i < receipts; i++) {
    const t0 = performance.now();
    await device.fiscalizeReceipt(sampleReceipt(`${label}-${i}`));
    perReceipt.push(performance.now() - t0);
  }
  const perStatus: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await device.status();
    perStatus.push(performance.now() - t0);
  }
  // A receipt of 2 items (one weighed) is 9 exchanges: 10, FF01, FF40, FF46 ×2, FF4D, FF0C, FF45, FF0A.
  const receipt = summary(perReceipt);
  const status = summary(perStatus);
  console.log(
    `${label.padEnd(10)} receipt (9 exchanges): p50 ${receipt.p50} ms, p95 ${receipt.p95} ms, mean ${receipt.mean} ms` +
      ` · status (0x10): p50 ${status.p50} ms`,
  );
  figures.push(
    { figure: `${label}_receipt_ms`, value: receipt.p50, unit: "ms" },
    { figure: `${label}_receipt_p95_ms`, value: receipt.p95, unit: "ms" },
    { figure: `${label}_status_ms`, value: status.p50, unit: "ms" },
  );
  return receipt.p50;
}

// No target of docs/targets.md is the driver's alone: every figure is reported (target "report", pass null).
const figures: { figure: string; value: number; unit: string }[] = [];
const rig = await startPtyRig({ printMsPerLine: 0 });
let ptyP50: number;
try {
  ptyP50 = await measure(rig.device, "pty");
} finally {
  await rig.close();
}

// In process: no line at all, then a line modelled at 115200 baud (10 bits per byte), which a
// pty does not simulate — what a real cable adds to each receipt.
let inprocP50 = 0;
for (const [label, baudRate] of [
  ["inproc", undefined],
  ["line115200", 115200],
] as const) {
  const emulator = new KktEmulator({ printMsPerLine: 0 });
  const device = new ShtrihDevice(emulator.connect(baudRate ? { baudRate } : {}));
  try {
    const p50 = await measure(device, label);
    if (label === "inproc") inprocP50 = p50;
  } finally {
    await device.close();
    emulator.close();
  }
}

// The baseline is the same driver and emulator with no line at all: the ratio is what the kernel's
// tty layer adds per receipt.
const ratio = Math.round((ptyP50 / inprocP50) * 100) / 100;
console.log(`pty / in-process receipt p50: ${ratio}×`);
figures.push({ figure: "pty_vs_inproc_ratio", value: ratio, unit: "ratio" });
for (const f of figures) {
  console.log(JSON.stringify({ bench: "fiscal", ...f, target: "report", pass: null }));
}
