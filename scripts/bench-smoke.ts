// Benchmarks cannot rot (docs/targets.md, "Benchmarks stay alive"): runs every `bench:*` script of the root
// package.json in its smoke mode (BENCH_SMOKE=1: small sizes) one after another, and fails when one
// does not complete (exit code, timeout) or prints no well-formed JSON figure. Targets are not
// checked: at smoke sizes they mean nothing. `.ci/run` runs it after `npm test`.
//
//   TEST_DATABASE_URL=postgresql://… npm run bench-smoke [bench:agent …]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** One figure as docs/targets.md prints it: exactly these keys. */
export interface BenchFigure {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean | null;
}

const KEYS = ["bench", "figure", "value", "unit", "target", "pass"] as const;

/**
 * The JSON figure lines of a bench's stdout (lines that start with `{`; the rest is for a person),
 * each checked against the shape, and what is wrong with the others.
 */
export function parseFigures(stdout: string, bench: string): { figures: BenchFigure[]; problems: string[] } {
  const figures: BenchFigure[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  stdout.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!line.startsWith("{")) return;
    const where = `line ${index + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${where} is not JSON: ${line.slice(0, 120)}`);
      return;
    }
    const problem = figureProblem(parsed, bench);
    if (problem) {
      problems.push(`${where}: ${problem}: ${line.slice(0, 120)}`);
      return;
    }
    const figure = parsed as BenchFigure;
    if (seen.has(figure.figure)) problems.push(`${where}: figure "${figure.figure}" printed twice`);
    seen.add(figure.figure);
    figures.push(figure);
  });
  if (figures.length === 0 && problems.length === 0) problems.push("no JSON figure printed");
  return { figures, problems };
}

function figureProblem(value: unknown, bench: string): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  const missing = KEYS.filter((k) => !(k in o));
  if (missing.length) return `missing ${missing.join(", ")}`;
  const extra = keys.filter((k) => !(KEYS as readonly string[]).includes(k));
  if (extra.length) return `unexpected ${extra.join(", ")}`;
  if (o.bench !== bench) return `bench is ${JSON.stringify(o.bench)}, not "${bench}"`;
  for (const k of ["figure", "unit", "target"] as const)
    if (typeof o[k] !== "string" || o[k] === "") return `${k} is not a non-empty string`;
  if (typeof o.value !== "number" || !Number.isFinite(o.value)) return "value is not a finite number";
  if (typeof o.pass !== "boolean" && o.pass !== null) return "pass is neither true, false nor null";
  return null;
}

/** Longest a smoke run may take on a busy 2-core box before it counts as hung. */
const TIMEOUT_MS = 240_000;

export interface Outcome {
  bench: string;
  seconds: number;
  figures: number;
  problems: string[];
}

/**
 * Runs one bench command in smoke mode (BENCH_SMOKE=1), echoing its output, and says what is wrong
 * with it: a non-zero exit, no end within `timeoutMs`, no or malformed JSON figures.
 */
export function runBench(options: {
  bench: string;
  command: string;
  args: string[];
  cwd: string;
  timeoutMs?: number;
  echo?: (chunk: Buffer) => void;
}): Promise<Outcome> {
  const { bench, timeoutMs = TIMEOUT_MS, echo = (chunk) => process.stdout.write(chunk) } = options;
  const started = performance.now();
  // Its own process group, so a hung bench is stopped with everything it started (agents, emulators).
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, BENCH_SMOKE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    echo(chunk);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const { figures, problems } = parseFigures(stdout, bench);
      if (timedOut) problems.unshift(`did not complete within ${timeoutMs / 1000} s`);
      else if (code !== 0) problems.unshift(`exited with ${code ?? signal}`);
      resolve({ bench, seconds: (performance.now() - started) / 1000, figures: figures.length, problems });
    });
  });
}

async function main(argv: string[]) {
  const root = join(import.meta.dirname, "..");
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> })
      .scripts,
  ).filter((name) => name.startsWith("bench:"));
  const chosen = argv.length ? argv : scripts;
  const unknown = chosen.filter((name) => !scripts.includes(name));
  if (unknown.length)
    throw new Error(`no such bench script: ${unknown.join(", ")} (have ${scripts.join(", ")})`);
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL)
    throw new Error("bench:ingest and the sync storm need PostgreSQL: set TEST_DATABASE_URL");

  const outcomes: Outcome[] = [];
  // One at a time: on two shared cores, benches run side by side would only measure each other.
  for (const script of chosen) {
    console.log(`\n--- ${script} (smoke)`);
    outcomes.push(
      await runBench({
        bench: script.slice("bench:".length),
        command: "npm",
        args: ["run", "--silent", script],
        cwd: root,
      }),
    );
  }
  console.log("\nbench smoke:");
  for (const o of outcomes)
    console.log(
      `  ${o.problems.length ? "FAIL" : "ok  "} bench:${o.bench.padEnd(8)} ${o.seconds.toFixed(1).padStart(6)} s, ${o.figures} figures${o.problems.length ? `\n         ${o.problems.join("\n         ")}` : ""}`,
    );
  const total = outcomes.reduce((sum, o) => sum + o.seconds, 0);
  const failed = outcomes.filter((o) => o.problems.length).length;
  console.log(
    `  ${outcomes.length - failed} of ${outcomes.length} benches completed with figures in ${total.toFixed(0)} s`,
  );
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench-smoke: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
