import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createAgentContext } from "../context.ts";
import { agentRouter } from "../router.ts";
import type { AgentServices } from "../services.ts";
import { createCallerFactory } from "../trpc.ts";
import { MAX_RUM_REPORT_ITEMS, type TReportRumInput } from "./report-rum.types.ts";

// rum.report is validated like every other input: a bad vital or mark refuses the whole report
// before the agent's service sees any of it.

function caller() {
  const seen: TReportRumInput[] = [];
  const services = {
    rum: {
      report: (input: TReportRumInput) => {
        seen.push(input);
        return { recorded: input.vitals.length + input.marks.length };
      },
    },
  } as unknown as AgentServices;
  return { call: createCallerFactory(agentRouter)(createAgentContext(services)), seen };
}

const LCP = {
  name: "LCP",
  value: 1234.5,
  rating: "good",
  id: "v5-1700000000000-1",
  navigationType: "navigate",
};

describe("rum.report", () => {
  it("passes web vitals in the web-vitals library's shape and marks, with defaults for absent lists", async () => {
    const { call, seen } = caller();
    await expect(
      call.rum.report({
        vitals: [{ ...LCP, delta: 1234.5, attribution: { element: "#total", timeToFirstByte: 80 } }],
        marks: [{ name: "scan_to_line", valueMs: 42, at: "2026-12-01T10:00:00.000+03:00" }],
      } as TReportRumInput),
    ).resolves.toEqual({ recorded: 2 });
    await call.rum.report({ marks: [{ name: "tender_to_printed", valueMs: 900 }] } as TReportRumInput);
    expect(seen[1]).toEqual({ vitals: [], marks: [{ name: "tender_to_printed", valueMs: 900 }] });
  });

  it.each([
    ["an unknown vital", { vitals: [{ ...LCP, name: "FID" }] }],
    ["a negative value", { vitals: [{ ...LCP, value: -1 }] }],
    ["an unknown rating", { vitals: [{ ...LCP, rating: "fine" }] }],
    ["attribution over 4 KiB", { vitals: [{ ...LCP, attribution: { element: "x".repeat(5000) } }] }],
    ["a mark named in capitals", { marks: [{ name: "ScanToLine", valueMs: 1 }] }],
    ["a mark without a value", { marks: [{ name: "scan_to_line" }] }],
    [
      "a mark at a time without offset",
      { marks: [{ name: "scan_to_line", valueMs: 1, at: "2026-12-01 10:00" }] },
    ],
    ["too many vitals", { vitals: Array.from({ length: MAX_RUM_REPORT_ITEMS + 1 }, () => LCP) }],
    [
      "too many marks",
      { marks: Array.from({ length: MAX_RUM_REPORT_ITEMS + 1 }, () => ({ name: "a", valueMs: 1 })) },
    ],
  ])("refuses %s and records nothing", async (_what, input) => {
    const { call, seen } = caller();
    const refused = await call.rum.report(input as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect(seen).toEqual([]);
  });

  it("takes exactly the bound", async () => {
    const { call } = caller();
    const vitals = Array.from({ length: MAX_RUM_REPORT_ITEMS }, () => LCP);
    await expect(call.rum.report({ vitals } as TReportRumInput)).resolves.toEqual({ recorded: 100 });
  });
});
