import { describe, expect, it } from "vitest";
import { parseFigures, runBench } from "./bench-smoke.ts";

const figure = {
  bench: "agent",
  figure: "accept_ratio",
  value: 0.42,
  unit: "ratio",
  target: ">=0.30",
  pass: true,
};
const line = (o: object) => JSON.stringify(o);

describe("parseFigures", () => {
  it("takes the figure lines and leaves the lines for a person", () => {
    const out = `accept / no-op: 0.42\n${line(figure)}\n${line({ ...figure, figure: "noop_rate", target: "report", pass: null })}\n`;
    const { figures, problems } = parseFigures(out, "agent");
    expect(problems).toEqual([]);
    expect(figures.map((f) => f.figure)).toEqual(["accept_ratio", "noop_rate"]);
  });

  it("names what is wrong with a line that is not a figure of docs/targets.md's shape", () => {
    const cases: [object | string, RegExp][] = [
      ["{not json", /is not JSON/],
      [{ name: "fleet.list", p95Ms: 12 }, /missing bench, figure, value, unit, target, pass/],
      [{ ...figure, runs: 20 }, /unexpected runs/],
      [{ ...figure, bench: "sync" }, /bench is "sync", not "agent"/],
      [{ ...figure, value: null }, /value is not a finite number/],
      [{ ...figure, value: "0.42" }, /value is not a finite number/],
      [{ ...figure, unit: "" }, /unit is not a non-empty string/],
      [{ ...figure, pass: "yes" }, /pass is neither/],
    ];
    for (const [bad, message] of cases) {
      const { figures, problems } = parseFigures(typeof bad === "string" ? bad : line(bad), "agent");
      expect(figures).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(message);
    }
  });

  it("a bench that prints no figure, or one twice, is a problem", () => {
    expect(parseFigures("all good, trust me\n", "agent").problems).toEqual(["no JSON figure printed"]);
    expect(parseFigures(`${line(figure)}\n${line(figure)}`, "agent").problems).toEqual([
      'line 2: figure "accept_ratio" printed twice',
    ]);
  });
});

describe("runBench", () => {
  const node = (script: string, timeoutMs?: number) =>
    runBench({
      bench: "agent",
      command: process.execPath,
      args: ["-e", script],
      cwd: import.meta.dirname,
      echo: () => undefined,
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  it("passes a bench that completes with figures, in smoke mode", async () => {
    const outcome = await node(
      `if (process.env.BENCH_SMOKE !== "1") process.exit(3); console.log(${JSON.stringify(line(figure))})`,
    );
    expect(outcome.problems).toEqual([]);
    expect(outcome.figures).toBe(1);
  });

  it("fails a bench that exits non-zero even after printing figures", async () => {
    const outcome = await node(`console.log(${JSON.stringify(line(figure))}); process.exit(1)`);
    expect(outcome.problems).toEqual(["exited with 1"]);
  });

  it("stops and fails a bench that does not complete", async () => {
    const outcome = await node("setInterval(() => {}, 1000)", 1_000);
    expect(outcome.problems).toEqual(["did not complete within 1 s", "no JSON figure printed"]);
  });
});
