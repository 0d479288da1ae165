import type { CentralDatabase } from "../../context.ts";
import { compareText } from "../compare-text.ts";
import type { ScopedTerminal } from "../scoped-terminals.ts";
import { allLanes, fleetLanes, type LaneTransitions, laneTransitions, tiedIds } from "./fleet-queries.ts";
import { KNOWN_DESTINATIONS, statesBefore } from "./queries.ts";
import { type CompactLane, compactLaneOf, type LaneTransitionColumns } from "./segments.ts";

export interface LaneLimits {
  /** Lanes drawn. */
  lanes: number;
  /** Transitions of the drawn lanes' tills read (the oldest). */
  transitions: number;
  /** Segments a lane ships. */
  segments: number;
  /** Transitions of the whole scope read at once, before knowing which lanes are drawn. */
  read: number;
}

export interface DrawnLane extends CompactLane {
  terminalId: string;
  destination: string;
}

const NO_TRANSITIONS: LaneTransitionColumns = { atMs: [], toStates: [], ids: [] };

/**
 * The window's first reads, started together: every transition of the scope in it when at most
 * `read` (allLanes; null when more), and each known destination's state before it. The fleet view
 * takes its trips from the first as well (tripsOfLanes), so it starts them before drawLanes waits on them.
 */
export interface WindowRead {
  whole: Promise<LaneTransitions[] | null>;
  knownBefore: Promise<Map<string, string>>;
}

export function readWindow(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  read: number,
): WindowRead {
  return {
    whole: allLanes(db, terminals, window, destination, read),
    knownBefore: statesBefore(db, terminals, knownDestinations(destination), window.from),
  };
}

const knownDestinations = (destination: string | undefined): string[] =>
  destination ? [destination] : [...KNOWN_DESTINATIONS];

/**
 * The fleet view's lanes: one per till and destination that moved in the window or was not closed
 * when it began, in the order of the tills' ranks (rankTills) then destination, the first
 * `limits.lanes` drawn (compactLaneOf). `truncated`: lanes or transitions were left out.
 *
 * A scope's window of at most `limits.read` transitions (a chain's week: 18,000) is read whole, in
 * one statement beside the probes of each lane's state before it — which lanes moved is then known
 * without a statement of its own, and nothing waits for it. A busier one reads which lanes moved
 * first (fleetLanes), then the transitions of the tills drawn. `started`: those first reads, when
 * the caller began them (readWindow, with `limits.read`).
 */
export async function drawLanes(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  tillRank: ReadonlyMap<string, number>,
  window: { from: Date; to: Date },
  destination: string | undefined,
  limits: LaneLimits,
  started: WindowRead = readWindow(db, terminals, window, destination, limits.read),
): Promise<{ lanes: DrawnLane[]; truncated: boolean }> {
  const known = knownDestinations(destination);
  const [whole, knownBefore] = await Promise.all([started.whole, started.knownBefore]);
  let moved: { terminalId: string; destination: string; transitions: number }[];
  let notClosedBefore: Map<string, string>;
  if (whole) {
    moved = whole.map((l) => ({
      terminalId: l.terminalId,
      destination: l.destination,
      transitions: l.atMs.length,
    }));
    // A destination the tills report besides the known ones: its lanes' states before as well.
    const others = [...new Set(moved.map((l) => l.destination))].filter((d) => !known.includes(d));
    const otherBefore =
      others.length > 0 ? await statesBefore(db, terminals, others, window.from) : new Map();
    notClosedBefore = new Map([...knownBefore, ...otherBefore].filter(([, state]) => state !== "closed"));
  } else {
    ({ moved, notClosedBefore } = await fleetLanes(db, terminals, window, destination));
  }

  const laneSet = new Set(moved.map((l) => `${l.terminalId}/${l.destination}`));
  for (const key of notClosedBefore.keys()) laneSet.add(key);
  const laneOrder = [...laneSet].map((key) => {
    const [terminalId, dest] = key.split("/") as [string, string];
    return { key, terminalId, destination: dest, till: tillRank.get(terminalId)! };
  });
  laneOrder.sort((a, b) => a.till - b.till || compareText(a.destination, b.destination));
  const drawn = laneOrder.slice(0, limits.lanes);
  const drawnIds = new Set(drawn.map((l) => l.terminalId));
  // Every transition of the drawn tills counts, of their lanes not drawn too (as the read does).
  const expected = moved.reduce((n, l) => n + (drawnIds.has(l.terminalId) ? l.transitions : 0), 0);
  let read: { lanes: LaneTransitions[]; truncated: boolean };
  if (whole && expected <= limits.transitions) {
    const drawnKeys = new Set(drawn.map((l) => l.key));
    const lanes = whole.filter((l) => drawnKeys.has(`${l.terminalId}/${l.destination}`));
    await tiedIds(db, terminals, lanes);
    read = { lanes, truncated: false };
  } else {
    const byId = new Map(terminals.map((t) => [t.id, t]));
    read = await laneTransitions(
      db,
      [...drawnIds].map((id) => byId.get(id)!),
      window,
      destination,
      limits.transitions,
      expected,
    );
  }

  const perLane = new Map<string, LaneTransitionColumns>(
    read.lanes.map((l) => [`${l.terminalId}/${l.destination}`, l]),
  );
  return {
    lanes: drawn.map(({ key, terminalId, destination: dest }) => ({
      terminalId,
      destination: dest,
      ...compactLaneOf(
        notClosedBefore.get(key) ?? "closed",
        perLane.get(key) ?? NO_TRANSITIONS,
        window,
        limits.segments,
      ),
    })),
    truncated: read.truncated || laneOrder.length > limits.lanes,
  };
}
