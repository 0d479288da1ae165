import { compareText } from "../compare-text.ts";
/**
 * Whether breakers tripped together (the destination itself was down: the central server or the OFD)
 * or alone (one till, or its network). The one place this rule lives (correlateLanes); the fleet view
 * and its page use it.
 */

export interface CorrelationRule {
  /** Trips of the same destination this close to an incident's first trip belong to it. */
  windowMs: number;
  /** This many distinct tills in one incident make it an outage of the destination. */
  minTills: number;
}

/** Three tills within a minute: a till's breaker trips after ~5 failed sends, seconds apart for tills syncing every few seconds. The fleet view's defaults. */
export const DEFAULT_CORRELATION_RULE: CorrelationRule = { windowMs: 60_000, minTills: 3 };

/**
 * - `outage`: at least `minTills` tills tripped for the destination within the window — the server
 *   or the OFD was unreachable for many at once; no till is at fault.
 * - `local`: one till alone — that till or its network (look at the till).
 * - `several`: more than one till but fewer than `minTills` — often one store's uplink (see `storeCount`).
 */
export type IncidentKind = "outage" | "several" | "local";

function checkRule(rule: CorrelationRule): void {
  if (!(rule.windowMs >= 0) || !Number.isInteger(rule.minTills) || rule.minTills < 2) {
    throw new RangeError("correlation rule: windowMs ≥ 0 and an integer minTills ≥ 2");
  }
}

/**
 * Where the incident that starts at trip `i` (of `n` in time order, `atMs(k)` the k-th's time) ends:
 * the index after the last trip at most `windowMs` after the first.
 */
function incidentEnd(n: number, i: number, atMs: (k: number) => number, windowMs: number): number {
  const end = atMs(i) + windowMs;
  let j = i + 1;
  while (j < n && atMs(j) <= end) j++;
  return j;
}

const kindOf = (tills: number, rule: CorrelationRule): IncidentKind =>
  tills >= rule.minTills ? "outage" : tills === 1 ? "local" : "several";

/** Each name's place in compareText order; names it finds equal share one. */
function ranksOf(names: readonly string[]): Int32Array {
  const byName = names.map((_, i) => i).sort((a, b) => compareText(names[a]!, names[b]!));
  const ranks = new Int32Array(names.length);
  byName.forEach((name, k) => {
    const previous = byName[k - 1];
    ranks[name] =
      previous !== undefined && compareText(names[previous]!, names[name]!) === 0 ? ranks[previous]! : k;
  });
  return ranks;
}

/** One destination's trips in the rule's order: parallel columns of times and tills. */
interface SortedTrips {
  atMs: Float64Array;
  tills: Int32Array;
}

/**
 * Trips (parallel `atMs` and `tills`) in the rule's order: by time, then by till rank, then as they
 * came. When no two tills share a rank and the times span little enough, each trip is one number
 * (time × tills + rank) and the numbers are sorted as a typed array — several times faster than a
 * comparator over thousands of trips; otherwise (tills whose ids compareText finds equal, or
 * times more than ~10^5 years apart) the comparator.
 */
export function sortTrips(
  atMs: readonly number[],
  tills: readonly number[],
  tillRank: Int32Array,
): SortedTrips {
  const n = atMs.length;
  const ranks = tillRank.length;
  const tillOfRank = new Int32Array(ranks).fill(-1);
  let distinct = true;
  tillRank.forEach((rank, till) => {
    if (tillOfRank[rank] !== -1) distinct = false;
    tillOfRank[rank] = till;
  });
  let base = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const at of atMs) {
    if (at < base) base = at;
    if (at > last) last = at;
  }
  const sorted: SortedTrips = { atMs: new Float64Array(n), tills: new Int32Array(n) };
  if (distinct && (last - base + 1) * ranks <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) keys[k] = (atMs[k]! - base) * ranks + tillRank[tills[k]!]!;
    keys.sort();
    for (let k = 0; k < n; k++) {
      const rank = keys[k]! % ranks;
      sorted.atMs[k] = (keys[k]! - rank) / ranks + base;
      sorted.tills[k] = tillOfRank[rank]!;
    }
    return sorted;
  }
  const order = atMs.map((_, k) => k);
  order.sort((a, b) => atMs[a]! - atMs[b]! || tillRank[tills[a]!]! - tillRank[tills[b]!]! || a - b);
  order.forEach((trip, k) => {
    sorted.atMs[k] = atMs[trip]!;
    sorted.tills[k] = tills[trip]!;
  });
  return sorted;
}

/** One breaker's trips — a till's, for one destination — as the fleet view reads them: times only. */
export interface LaneTrips {
  terminalId: string;
  storeId: string;
  destination: string;
  /** Epoch ms, in any order. */
  atMs: readonly number[];
}

/** An incident as the fleet view lists it: its tills counted and the first few named. */
export interface ListedIncident {
  destination: string;
  kind: IncidentKind;
  startedAt: Date;
  lastTripAt: Date;
  /** Distinct tills in the incident (what its kind is decided by). */
  tillCount: number;
  /** Distinct stores of those tills. */
  storeCount: number;
  /** Each till's first trip in the incident, in time order: the first `limits.trips` of them. */
  trips: { terminalId: string; storeId: string; destination: string; at: Date }[];
}

/** A window's incidents as the fleet view shows them (correlateLanes). */
export interface FleetIncidents {
  /** How many incidents there are. */
  count: number;
  /** How many of each kind, and how many tills tripped in any. */
  summary: { outages: number; several: number; local: number; tillsTripped: number };
  /** The newest `incidentLimit`, newest first. */
  listed: ListedIncident[];
}

/**
 * The correlation rule. Per destination, trips in time order (then by till id, compareText): an
 * incident starts at the earliest trip not yet in one, and every trip of the same destination at
 * most `windowMs` after that start joins it (a window fixed at the start, so a slow trickle of
 * unrelated trips cannot chain into one "outage"). A till tripping twice inside one window counts
 * once. Its kind comes from the number of distinct tills (see IncidentKind). Incidents are newest
 * first, then by destination.
 *
 * Every incident is counted, but only the newest `limits.incidents` are built, with their first
 * `limits.trips` tills: a chain's week is 6,000 trips in 3,500 incidents of which the page lists
 * 200, and an object and a Date per trip and per incident were most of the view's work. So the
 * trips are columns of numbers per destination, and an incident a range of them.
 */
export function correlateLanes(
  lanes: readonly LaneTrips[],
  rule: CorrelationRule,
  limits: { incidents: number; trips: number },
): FleetIncidents {
  checkRule(rule);
  // Tills as numbers, ranked by id in compareText order (the trips' tie order), with their stores.
  const tillIndex = new Map<string, number>();
  const tillIds: string[] = [];
  const tillStores: string[] = [];
  for (const lane of lanes) {
    if (lane.atMs.length > 0 && !tillIndex.has(lane.terminalId)) {
      tillIndex.set(lane.terminalId, tillIds.length);
      tillIds.push(lane.terminalId);
      tillStores.push(lane.storeId);
    }
  }
  const tillRank = ranksOf(tillIds);
  const storeIndex = new Map<string, number>();
  const tillStore = new Int32Array(tillIds.length);
  tillStores.forEach((store, till) => {
    if (!storeIndex.has(store)) storeIndex.set(store, storeIndex.size);
    tillStore[till] = storeIndex.get(store)!;
  });

  // Each destination's trips as parallel columns (time, till), in the order the lanes give them.
  const destinations = new Map<string, { atMs: number[]; tills: number[] }>();
  for (const lane of lanes) {
    if (lane.atMs.length === 0) continue;
    const column = destinations.get(lane.destination) ?? { atMs: [], tills: [] };
    destinations.set(lane.destination, column);
    const till = tillIndex.get(lane.terminalId)!;
    for (const at of lane.atMs) {
      column.atMs.push(at);
      column.tills.push(till);
    }
  }
  const destinationNames = [...destinations.keys()];

  // Every incident as a few numbers: where it starts and ends among its destination's trips.
  const incidentDestination: number[] = [];
  const incidentFrom: number[] = [];
  const incidentTo: number[] = [];
  const incidentTills: number[] = [];
  const sorted: SortedTrips[] = [];
  const summary = { outages: 0, several: 0, local: 0, tillsTripped: tillIds.length };
  // seen[till] === the incident being counted: that till is counted already (no set per incident).
  const seen = new Int32Array(tillIds.length).fill(-1);
  destinationNames.forEach((name, d) => {
    const { atMs, tills } = destinations.get(name)!;
    const trips = sortTrips(atMs, tills, tillRank);
    sorted.push(trips);
    const at = (k: number) => trips.atMs[k]!;
    let i = 0;
    while (i < atMs.length) {
      const j = incidentEnd(atMs.length, i, at, rule.windowMs);
      const incident = incidentFrom.length;
      let count = 0;
      for (let k = i; k < j; k++) {
        const till = trips.tills[k]!;
        if (seen[till] === incident) continue;
        seen[till] = incident;
        count++;
      }
      const kind = kindOf(count, rule);
      if (kind === "outage") summary.outages++;
      else if (kind === "several") summary.several++;
      else summary.local++;
      incidentDestination.push(d);
      incidentFrom.push(i);
      incidentTo.push(j);
      incidentTills.push(count);
      i = j;
    }
  });

  // Newest first, then by destination (compareText; names it finds equal keep the order they came in).
  const destinationRank = ranksOf(destinationNames);
  const starts = incidentFrom.map((from, incident) => sorted[incidentDestination[incident]!]!.atMs[from]!);
  const newest = starts.map((_, incident) => incident);
  newest.sort(
    (a, b) =>
      starts[b]! - starts[a]! ||
      destinationRank[incidentDestination[a]!]! - destinationRank[incidentDestination[b]!]! ||
      a - b,
  );

  const storeSeen = new Int32Array(storeIndex.size).fill(-1);
  const listed = newest.slice(0, limits.incidents).map((incident): ListedIncident => {
    const d = incidentDestination[incident]!;
    const destination = destinationNames[d]!;
    const { atMs, tills } = sorted[d]!;
    const from = incidentFrom[incident]!;
    const to = incidentTo[incident]!;
    const trips: ListedIncident["trips"] = [];
    let storeCount = 0;
    // A second count of this incident's tills: marked with its number shifted past every first count's.
    const mark = incidentFrom.length + incident;
    for (let k = from; k < to; k++) {
      const till = tills[k]!;
      if (seen[till] === mark) continue;
      seen[till] = mark;
      if (storeSeen[tillStore[till]!] !== incident) {
        storeSeen[tillStore[till]!] = incident;
        storeCount++;
      }
      if (trips.length < limits.trips) {
        trips.push({
          terminalId: tillIds[till]!,
          storeId: tillStores[till]!,
          destination,
          at: new Date(atMs[k]!),
        });
      }
    }
    return {
      destination,
      kind: kindOf(incidentTills[incident]!, rule),
      startedAt: new Date(atMs[from]!),
      lastTripAt: new Date(atMs[to - 1]!),
      tillCount: incidentTills[incident]!,
      storeCount,
      trips,
    };
  });
  return { count: incidentFrom.length, summary, listed };
}
