import { describe, expect, it } from "vitest";
import {
  type BreakerSegment,
  type BreakerTransitionRow,
  buildSegments,
  type CompactLane,
  compactLaneOf,
  isTrip,
  notClosedMs,
} from "./segments.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 9, minute));
const t = (minute: number, fromState: string, toState: string, cause = "x"): BreakerTransitionRow => ({
  id: `ofd-${minute}`,
  terminalId: "t1",
  destination: "ofd",
  at: at(minute),
  fromState,
  toState,
  cause,
  failures: toState === "open" ? 5 : 0,
});
const window = { from: at(0), to: at(60) };

describe("buildSegments", () => {
  it("cuts the window at each transition, carrying the cause that tripped the breaker", () => {
    const segments = buildSegments(
      "closed",
      [
        t(30, "half_open", "closed"),
        t(10, "closed", "open", "5 consecutive failures; last: HTTP 503"),
        t(20, "open", "half_open"),
      ],
      window,
    );
    expect(segments.map((s) => [s.state, s.from, s.to])).toEqual([
      ["closed", at(0), at(10)],
      ["open", at(10), at(20)],
      ["half_open", at(20), at(30)],
      ["closed", at(30), at(60)],
    ]);
    expect(segments[1]).toMatchObject({ cause: "5 consecutive failures; last: HTTP 503", failures: 5 });
    expect(notClosedMs(segments)).toBe(20 * 60_000);
  });

  it("starts from the state reported before the window; isolated is drawn as open", () => {
    expect(buildSegments("isolated", [], window)).toEqual([
      { state: "open", from: at(0), to: at(60), cause: null, failures: null },
    ]);
  });

  it("a transition at the window's start replaces the initial state instead of a zero-length segment", () => {
    expect(buildSegments("closed", [t(0, "closed", "open")], window).map((s) => s.state)).toEqual(["open"]);
  });

  it("trusts a transition's 'to' when its 'from' disagrees (one was lost on the way)", () => {
    const segments = buildSegments("closed", [t(5, "half_open", "open"), t(9, "open", "open")], window);
    expect(segments.map((s) => s.state)).toEqual(["closed", "open"]);
  });

  it("a trip is closed → open (or isolated); a failed half-open probe is not a new trip", () => {
    expect(isTrip({ fromState: "closed", toState: "open" })).toBe(true);
    expect(isTrip({ fromState: "closed", toState: "isolated" })).toBe(true);
    expect(isTrip({ fromState: "half_open", toState: "open" })).toBe(false);
  });
});

describe("compactLaneOf (the fleet view's lanes from parallel arrays)", () => {
  const columns = (transitions: readonly BreakerTransitionRow[]) => ({
    atMs: transitions.map((x) => x.at.getTime()),
    toStates: transitions.map((x) => x.toState),
    ids: transitions.map((x) => x.id),
  });
  /** The reference: buildSegments' segments, the first `cap` of them as the page ships them. */
  const reference = (segments: readonly BreakerSegment[], cap: number): CompactLane => {
    const kept = segments.slice(0, cap);
    return {
      states: kept.map((s) => s.state),
      starts: kept.map((s) => s.from.getTime() - window.from.getTime()),
      more: segments.length - kept.length,
      cutAt: segments.length > cap ? segments[cap]!.from.getTime() - window.from.getTime() : null,
    };
  };

  it("keeps the first `cap` segments of a flapping breaker and says how many it left out", () => {
    const flaps = Array.from({ length: 50 }, (_, m) => t(m + 1, "x", m % 2 === 0 ? "open" : "closed"));
    const lane = compactLaneOf("closed", columns(flaps), window, 10);
    expect(lane.states).toHaveLength(10);
    expect(lane.starts).toEqual(Array.from({ length: 10 }, (_, i) => i * 60_000));
    expect(lane.more).toBe(51 - 10);
    expect(lane.cutAt).toBe(10 * 60_000); // the 10th kept segment ends where the first left out begins
  });

  it("ships each segment's state and start after the window's start, the lane in any order", () => {
    const lane = [t(30, "half_open", "closed"), t(10, "closed", "open"), t(20, "open", "half_open")];
    expect(compactLaneOf("closed", columns(lane), window, 80)).toEqual({
      states: ["closed", "open", "half_open", "closed"],
      starts: [0, 10 * 60_000, 20 * 60_000, 30 * 60_000],
      more: 0,
      cutAt: null,
    });
  });

  it("agrees with buildSegments on random lanes: ties, repeats, isolated, out of the window, cut", () => {
    // A fixed-seed generator (mulberry32): the same lanes on every run.
    let seed = 20261202;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const states = ["closed", "open", "half_open", "isolated", "unknown"];
    for (let lane = 0; lane < 500; lane++) {
      const n = Math.floor(random() * 40);
      const transitions = Array.from({ length: n }, (_, i) => ({
        ...t(0, "closed", states[Math.floor(random() * states.length)]!),
        // Minutes -5…64 on a coarse grid: some before or after the window, some at its start, many tied.
        at: at(Math.floor(random() * 70) - 5),
        id: `id-${Math.floor(random() * 1000)}-${i}`,
      }));
      const start = states[Math.floor(random() * states.length)]!;
      const cap = 1 + Math.floor(random() * 12);
      expect(compactLaneOf(start, columns(transitions), window, cap)).toEqual(
        reference(buildSegments(start, transitions, window), cap),
      );
    }
  });
});
