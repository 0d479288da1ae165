import { compareText } from "../compare-text.ts";
/**
 * Whether breakers tripped together (the destination itself was down: the central server or the OFD)
 * or alone (one till, or its network). The one place this rule lives; the fleet view and its page use it.
 */

export interface BreakerTrip {
  terminalId: string;
  storeId: string;
  destination: string;
  at: Date;
  cause: string;
  failures: number;
}

export interface CorrelationRule {
  /** Trips of the same destination this close to an incident's first trip belong to it. */
  windowMs: number;
  /** This many distinct tills in one incident make it an outage of the destination. */
  minTills: number;
}

/** Three tills within a minute: a till's breaker trips after ~5 failed sends, seconds apart for tills syncing every few seconds. */
export const DEFAULT_CORRELATION_RULE: CorrelationRule = { windowMs: 60_000, minTills: 3 };

/**
 * - `outage`: at least `minTills` tills tripped for the destination within the window — the server
 *   or the OFD was unreachable for many at once; no till is at fault.
 * - `local`: one till alone — that till or its network (look at the till).
 * - `several`: more than one till but fewer than `minTills` — often one store's uplink (see `storeIds`).
 */
export type IncidentKind = "outage" | "several" | "local";

export interface BreakerIncident {
  destination: string;
  kind: IncidentKind;
  startedAt: Date;
  /** The last trip that joined the incident. */
  lastTripAt: Date;
  /** Each till's first trip in the incident, in time order. */
  trips: BreakerTrip[];
  storeIds: string[];
}

/**
 * The correlation rule. Per destination, trips in time order: an incident starts at the earliest trip
 * not yet in one, and every trip of the same destination at most `windowMs` after that start joins it
 * (a window fixed at the start, so a slow trickle of unrelated trips cannot chain into one "outage").
 * A till tripping twice inside one window counts once. Its kind comes from the number of distinct
 * tills (see IncidentKind). Incidents come back newest first.
 */
export function correlateTrips(
  trips: readonly BreakerTrip[],
  rule: CorrelationRule = DEFAULT_CORRELATION_RULE,
): BreakerIncident[] {
  if (!(rule.windowMs >= 0) || !Number.isInteger(rule.minTills) || rule.minTills < 2) {
    throw new RangeError("correlation rule: windowMs ≥ 0 and an integer minTills ≥ 2");
  }
  const byDestination = new Map<string, BreakerTrip[]>();
  for (const trip of trips) {
    const list = byDestination.get(trip.destination) ?? [];
    list.push(trip);
    byDestination.set(trip.destination, list);
  }
  const incidents: BreakerIncident[] = [];
  for (const [destination, list] of byDestination) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || compareText(a.terminalId, b.terminalId));
    let i = 0;
    while (i < list.length) {
      const first = list[i]!;
      const end = first.at.getTime() + rule.windowMs;
      let j = i + 1;
      while (j < list.length && list[j]!.at.getTime() <= end) j++;
      // Most incidents are one trip (a week of a chain: thousands): no set of tills or stores for those.
      let tills: BreakerTrip[] = [first];
      if (j > i + 1) {
        const seen = new Set<string>();
        tills = [];
        for (let k = i; k < j; k++) {
          const trip = list[k]!;
          if (seen.has(trip.terminalId)) continue;
          seen.add(trip.terminalId);
          tills.push(trip);
        }
      }
      incidents.push({
        destination,
        kind: tills.length >= rule.minTills ? "outage" : tills.length === 1 ? "local" : "several",
        startedAt: first.at,
        lastTripAt: list[j - 1]!.at,
        trips: tills,
        storeIds: tills.length === 1 ? [first.storeId] : [...new Set(tills.map((t) => t.storeId))].sort(),
      });
      i = j;
    }
  }
  return incidents.sort(
    (a, b) => b.startedAt.getTime() - a.startedAt.getTime() || compareText(a.destination, b.destination),
  );
}
