/**
 * What real-user monitoring costs receipts.create: two agents on an instant register, one recording
 * every RUM sample (the default, KASSA_RUM_SAMPLE_RATE=1), one recording no measurement (rate 0),
 * driven alternately by 16 keep-alive clients over the real local API. Prints the median accept
 * rate of each and rum_overhead_ratio = with / without (1.0 = free; noise on a shared box is ±5 %).
 *
 *   npx tsx bench/rum-overhead.ts        (BENCH_SMOKE=1: short rounds, proves it runs)
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startAgent } from "../src/agent.ts";
import { parseConfig } from "../src/env.ts";
import { instantDevice } from "./instant-device.ts";
import type { LoadJob, LoadResult } from "./load-generator.ts";

const TOKEN = "bench-token-0123456789abcdef";
const SMOKE = process.env.BENCH_SMOKE === "1";
const ROUND_MS = SMOKE ? 400 : 3000;
const ROUNDS = SMOKE ? 3 : 7;
const here = import.meta.dirname;

function load(url: string, ms: number, keyPrefix: string): Promise<LoadResult> {
  const child = fork(join(here, "load-generator.ts"), [], { execArgv: ["--import", "tsx"] });
  const job: LoadJob = {
    url,
    path: "receipts.create",
    body: "receipt",
    concurrency: 16,
    durationMs: ms,
    token: TOKEN,
    keyPrefix,
  };
  child.send(job);
  return new Promise((resolve, reject) => {
    child.once("message", (result) => resolve(result as LoadResult));
    child.once("exit", (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), "kassa-bench-rum-"));
try {
  const start = (name: string, sampleRate: string) =>
    startAgent(
      parseConfig(
        {
          KASSA_TERMINAL_ID: `bench-${name}`,
          KASSA_API_TOKEN: TOKEN,
          KASSA_KKT_EMULATOR: "1",
          KASSA_DATA_DIR: join(dataDir, name),
          KASSA_PORT: "0",
          KASSA_RUM_SAMPLE_RATE: sampleRate,
          KASSA_RUM_MAX_SAMPLES: "10000000",
        },
        { logLevel: "silent", bufferCapacity: 10_000_000 },
      ),
      {
        device: { emulator: null, open: async () => instantDevice(), close: () => undefined },
        log: pino({ level: "silent" }),
      },
    );
  const withRum = await start("rum", "1");
  const without = await start("none", "0");
  for (const a of [withRum, without])
    await a.services.shift.open({ cashier: { name: "Bench" }, openingFloat: 0 });
  await load(withRum.url, ROUND_MS, "w1");
  await load(without.url, ROUND_MS, "w0");
  const rates = { rum: [] as number[], none: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, agent] of [
      ["rum", withRum],
      ["none", without],
    ] as const) {
      const result = await load(agent.url, ROUND_MS, `${name}${r}`);
      if (result.errors > 0) throw new Error(`${name}: ${result.firstError}`);
      rates[name].push(result.ok / (result.elapsedMs / 1000));
    }
  }
  withRum.rum.flush();
  const samples = withRum.rum.stored();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(rates.rum) / median(rates.none);
  console.log(
    `receipts.create: ${Math.round(median(rates.rum))}/s recording RUM (${samples} samples buffered), ${Math.round(median(rates.none))}/s without`,
  );
  console.log(
    JSON.stringify({ figure: "rum_overhead_ratio", value: Math.round(ratio * 1000) / 1000, unit: "ratio" }),
  );
  await withRum.close();
  await without.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
