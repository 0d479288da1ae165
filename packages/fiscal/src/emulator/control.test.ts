import { describe, expect, it } from "vitest";
import { operation } from "../shtrih/commands/receipt.ts";
import { parseDuration } from "./clock.ts";
import { parseExecutionTimes, parseFault, runControl } from "./control.ts";
import { item, openShiftOn, setup } from "./test-fixtures.ts";

describe("control commands (CLI stdin and --fault)", () => {
  it("parses fault specs with options", () => {
    expect(parseFault(["nak", "3"])).toEqual({ kind: "nak", times: 3 });
    expect(
      parseFault(["power-loss", "command=FF45", "stage=after-execute", "restore=2s", "after=1"]),
    ).toEqual({
      kind: "power-loss",
      command: 0xff45,
      stage: "after-execute",
      restoreAfterMs: 2000,
      after: 1,
    });
    expect(parseFault(["garbage", "bytes=AA,0b"])).toMatchObject({ bytes: [0xaa, 0x0b] });
    expect(() => parseFault(["nak", "command=46"])).not.toThrow();
    expect(() => parseFault(["nak", "command=xyz"])).toThrow(/"command"/);
    expect(() => parseFault(["meteor"])).toThrow(/fault kind/);
    expect(() => parseFault(["nak", "colour=red"])).toThrow(/unknown fault option "colour"/);
  });

  it("parses per-command execution times", () => {
    expect(parseExecutionTimes("E0=20s,41=5s")).toEqual({ 224: 20_000, 65: 5_000 });
    expect(() => parseExecutionTimes("E0")).toThrow(/E0=20s/);
  });

  it("parses durations and rejects nonsense", () => {
    expect(parseDuration("25h")).toBe(25 * 3_600_000);
    expect(parseDuration("30d")).toBe(30 * 86_400_000);
    expect(parseDuration("250")).toBe(250);
    expect(() => parseDuration("soon")).toThrow(/not a duration/);
  });

  it("drives the emulator: faults, paper, shift expiry, advance, status", async () => {
    const { emulator, line, clock } = setup();
    await openShiftOn(line);
    const ctx = { emulator, advance: (ms: number) => clock.advance(ms) };
    expect(runControl(ctx, "fault busy command=FF46")).toMatch(/fault #1 armed: busy ×1 on FF46/);
    expect(await line.call(operation, item())).toEqual({ error: 0x50 });
    runControl(ctx, "paper-out");
    expect(runControl(ctx, "status")).toMatch(/paper out-passive/);
    runControl(ctx, "paper-in");
    runControl(ctx, "advance 24h");
    expect(runControl(ctx, "status")).toMatch(/OVER 24 H/);
    expect(() => runControl(ctx, "teleport")).toThrow(/unknown command "teleport"/);
    expect(() => runControl({ emulator }, "advance 1h")).toThrow(/cannot be moved/);
  });
});
