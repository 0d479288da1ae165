import { compareText } from "../compare-text.ts";
/**
 * A breaker's state as the dashboard draws it. The agent's `isolated` (held open by hand) is shown
 * as open: for the destination it is the same — nothing is sent (apps/terminal-agent/src/sync/breaker.ts).
 */
export type BreakerState = "closed" | "open" | "half_open";

export type ReportedBreakerState = BreakerState | "isolated";

export function shownState(state: string): BreakerState {
  return state === "half_open" ? "half_open" : state === "open" || state === "isolated" ? "open" : "closed";
}

export interface BreakerTransitionRow {
  id: string;
  terminalId: string;
  destination: string;
  at: Date;
  fromState: string;
  toState: string;
  cause: string;
  failures: number;
}

export interface BreakerSegment {
  state: BreakerState;
  from: Date;
  to: Date;
  /** The cause of the transition that began it (for an open segment: the failures that tripped it); null when it began before the window. */
  cause: string | null;
  failures: number | null;
}

/**
 * The window cut into consecutive segments of one state each: from `stateAtStart` (the last state
 * reported before the window; closed when none was) through every transition inside it, in time
 * order. A transition whose `from` disagrees with the state so far (one lost on the way) is trusted
 * for its `to`: the till reports what it is now.
 */
export function buildSegments(
  stateAtStart: string,
  transitions: readonly BreakerTransitionRow[],
  window: { from: Date; to: Date },
): BreakerSegment[] {
  const segments: BreakerSegment[] = [];
  let current: BreakerSegment = {
    state: shownState(stateAtStart),
    from: window.from,
    to: window.to,
    cause: null,
    failures: null,
  };
  const sorted = [...transitions]
    .filter((t) => t.at >= window.from && t.at < window.to)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || compareText(a.id, b.id));
  for (const t of sorted) {
    const state = shownState(t.toState);
    if (state === current.state) continue; // isolated → open, or a repeat: the same segment goes on
    if (t.at.getTime() > current.from.getTime()) segments.push({ ...current, to: t.at });
    current = { state, from: t.at, to: window.to, cause: t.cause, failures: t.failures };
  }
  segments.push(current);
  return segments;
}

/** Time spent open (or half-open) inside the window, ms: the page's "down for" figure. */
export function notClosedMs(segments: readonly BreakerSegment[]): number {
  return segments
    .filter((s) => s.state !== "closed")
    .reduce((sum, s) => sum + (s.to.getTime() - s.from.getTime()), 0);
}

/** A trip: the breaker left closed for open (a half-open probe failing again is the same outage going on). */
export function isTrip(t: { fromState: string; toState: string }): boolean {
  return t.fromState === "closed" && (t.toState === "open" || t.toState === "isolated");
}

/**
 * A lane as the fleet view ships it: the window's segments as parallel arrays (each one's state and
 * its start in ms after the window's start; it ends where the next starts, the last at the window's
 * end), at most `cap` of them. A flapping breaker over a week is hundreds of segments the chart
 * cannot draw and the page never needs (the till's own timeline lists them all); `more` says how
 * many were left out after the first `cap`, and `cutAt` where the first of those began (the last
 * kept one ends there, not at the window's end; null when none was left out).
 */
export interface CompactLane {
  states: BreakerState[];
  starts: number[];
  more: number;
  cutAt: number | null;
}

/**
 * A lane's transitions as compactLaneOf reads them, as parallel arrays (the i-th transition: its
 * time in epoch ms, the state it moved to, its id), in any order: a week of a chain's lanes is
 * 10,000+ transitions, and an object and a Date for each was most of the work.
 */
export interface LaneTransitionColumns {
  atMs: readonly number[];
  toStates: readonly string[];
  ids: readonly string[];
}

/**
 * A lane's first `cap` segments (buildSegments' segments, their starts as ms after the window's
 * start) without building the transitions or the segments, for the fleet view's hundreds of lanes;
 * buildSegments' rules: only
 * transitions inside the window, in time order and by id for ties; one to the state so far goes on
 * in its segment; a segment of no length (two transitions at one instant, or one at the window's
 * start) is dropped.
 */
export function compactLaneOf(
  stateAtStart: string,
  lane: LaneTransitionColumns,
  window: { from: Date; to: Date },
  cap: number,
): CompactLane {
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const order: number[] = [];
  let sorted = true;
  for (let i = 0; i < lane.atMs.length; i++) {
    const at = lane.atMs[i]!;
    if (at < fromMs || at >= toMs) continue;
    const last = order.length > 0 ? order[order.length - 1]! : -1;
    if (last >= 0 && !(lane.atMs[last]! < at)) sorted = false;
    order.push(i);
  }
  if (!sorted) order.sort((a, b) => lane.atMs[a]! - lane.atMs[b]! || compareText(lane.ids[a]!, lane.ids[b]!));
  const states: BreakerState[] = [];
  const starts: number[] = [];
  let count = 0;
  let cutAt: number | null = null;
  const push = (state: BreakerState, start: number) => {
    if (count < cap) {
      states.push(state);
      starts.push(start);
    } else if (count === cap) {
      cutAt = start;
    }
    count++;
  };
  let state = shownState(stateAtStart);
  let start = 0;
  for (const i of order) {
    const next = shownState(lane.toStates[i]!);
    if (next === state) continue;
    const at = lane.atMs[i]! - fromMs;
    if (at > start) push(state, start);
    state = next;
    start = at;
  }
  push(state, start);
  return { states, starts, more: count - states.length, cutAt };
}
