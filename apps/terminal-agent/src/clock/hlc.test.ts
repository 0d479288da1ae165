import { describe, expect, it } from "vitest";
import { ClockDriftError, formatHlc, HybridLogicalClock, parseHlc } from "./hlc.ts";

describe("HybridLogicalClock", () => {
  it("follows the wall clock and orders events within one millisecond by the counter", () => {
    let wall = 1_795_000_000_000;
    const hlc = new HybridLogicalClock(() => wall);
    const a = hlc.now();
    const b = hlc.now();
    wall += 5;
    const c = hlc.now();
    expect([a, b, c]).toEqual(["1795000000000.00000", "1795000000000.00001", "1795000000005.00000"]);
  });

  it("stays monotonic when the wall clock steps back (NTP correction)", () => {
    let wall = 1_795_000_000_000;
    const hlc = new HybridLogicalClock(() => wall);
    const before = hlc.now();
    wall -= 60_000;
    const after = hlc.now();
    expect(after > before).toBe(true);
    expect(parseHlc(after)).toEqual({ wallMs: 1_795_000_000_000, counter: 1 });
  });

  it("continues after a restart from the highest stored timestamp", () => {
    const hlc = new HybridLogicalClock(() => 1_000);
    hlc.restore("1795000000000.00007");
    expect(hlc.now()).toBe("1795000000000.00008");
  });

  it("merges a remote timestamp, and refuses one beyond the drift guard", () => {
    const wall = 1_795_000_000_000;
    const hlc = new HybridLogicalClock(() => wall, 60_000);
    expect(hlc.receive(formatHlc({ wallMs: wall + 1_000, counter: 3 }))).toBe(
      formatHlc({ wallMs: wall + 1_000, counter: 4 }),
    );
    expect(() => hlc.receive(formatHlc({ wallMs: wall + 61_000, counter: 0 }))).toThrow(ClockDriftError);
    // The refused timestamp left the clock where it was.
    expect(hlc.now()).toBe(formatHlc({ wallMs: wall + 1_000, counter: 5 }));
  });

  it("borrows a millisecond instead of overflowing the 5-digit counter", () => {
    const hlc = new HybridLogicalClock(() => 5);
    hlc.restore("0000000000005.99999");
    expect(hlc.now()).toBe("0000000000006.00000");
  });

  it("rejects a malformed timestamp with a TypeError naming the parameter", () => {
    expect(() => parseHlc("12.3")).toThrow(/"hlc" must look like/);
  });
});
