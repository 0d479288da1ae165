import { permitted } from "../permissions.ts";
import { correlateTrips } from "./correlation.ts";
import { ZGetBreakerFleetInput, ZGetBreakerFleetOutput } from "./get-fleet.types.ts";
import { KNOWN_DESTINATIONS, scopedTerminals, statesBefore, transitionsInWindow } from "./queries.ts";
import { type BreakerTransitionRow, buildSegments, isTrip } from "./segments.ts";

/** One fleet view holds at most this many transitions and lanes (a chain-wide outage is ~2 per till). */
export const MAX_FLEET_TRANSITIONS = 20_000;
export const MAX_FLEET_LANES = 300;
/**
 * The page lists at most this many incidents (newest first) and names at most this many tills per
 * incident: a week of a busy chain is thousands of incidents and outages of hundreds of tills, more
 * than a table can show and a 3 MB answer to build, validate and ship. The summary and each
 * incident's `tillCount` still count everything.
 */
export const MAX_FLEET_INCIDENTS = 200;
export const MAX_INCIDENT_TRIPS = 20;

/**
 * The fleet's breakers over a window: every trip lined up in time, grouped into incidents by the
 * correlation rule (outage of the destination vs one till alone), and a lane per till and
 * destination that was not closed at some point.
 */
export const getBreakerFleetProcedure = permitted("breakers.view")
  .input(ZGetBreakerFleetInput)
  .output(ZGetBreakerFleetOutput)
  .query(async ({ ctx, input }) => {
    const window = { from: input.from, to: input.to };
    const rule = { windowMs: input.windowSeconds * 1000, minTills: input.minTills };
    const terminals = await scopedTerminals(ctx.db, ctx.scope, { storeId: input.storeId });
    const byId = new Map(terminals.map((t) => [t.id, t]));
    const { transitions, truncated } = await transitionsInWindow(
      ctx.db,
      terminals,
      window,
      input.destination,
      MAX_FLEET_TRANSITIONS,
    );
    const destinations = input.destination
      ? [input.destination]
      : [...new Set([...KNOWN_DESTINATIONS, ...transitions.map((t) => t.destination)])].sort();
    const before = await statesBefore(ctx.db, terminals, destinations, input.from);

    const till = (terminalId: string) => {
      const t = byId.get(terminalId)!;
      return { terminalId, terminalName: t.name, storeId: t.storeId, storeName: t.store.name };
    };
    const incidents = correlateTrips(
      transitions.filter(isTrip).map((t) => ({
        terminalId: t.terminalId,
        storeId: byId.get(t.terminalId)!.storeId,
        destination: t.destination,
        at: t.at,
        cause: t.cause,
        failures: t.failures,
      })),
      rule,
    );

    const perLane = new Map<string, BreakerTransitionRow[]>();
    for (const t of transitions) {
      const key = `${t.terminalId}/${t.destination}`;
      const lane = perLane.get(key);
      if (lane) lane.push(t);
      else perLane.set(key, [t]);
    }
    for (const [key, state] of before) if (state !== "closed" && !perLane.has(key)) perLane.set(key, []);
    // Sort keys computed once per lane, not per comparison (a few hundred lanes, thousands of comparisons).
    const laneOrder = [...perLane.keys()].map((key) => {
      const [terminalId, destination] = key.split("/") as [string, string];
      const t = byId.get(terminalId)!;
      return { key, terminalId, destination, store: t.store.name, name: t.name };
    });
    laneOrder.sort(
      (a, b) =>
        a.store.localeCompare(b.store) ||
        a.name.localeCompare(b.name) ||
        a.destination.localeCompare(b.destination),
    );
    const lanes = laneOrder.slice(0, MAX_FLEET_LANES).map(({ key, terminalId, destination }) => ({
      ...till(terminalId),
      destination,
      segments: buildSegments(before.get(key) ?? "closed", perLane.get(key) ?? [], window),
    }));

    return {
      from: input.from,
      to: input.to,
      rule,
      incidents: incidents.slice(0, MAX_FLEET_INCIDENTS).map((incident) => ({
        destination: incident.destination,
        kind: incident.kind,
        startedAt: incident.startedAt,
        lastTripAt: incident.lastTripAt,
        tillCount: incident.trips.length,
        trips: incident.trips.slice(0, MAX_INCIDENT_TRIPS).map((trip) => ({
          ...till(trip.terminalId),
          at: trip.at,
          cause: trip.cause,
          failures: trip.failures,
        })),
        storeCount: incident.storeIds.length,
      })),
      lanes,
      incidentCount: incidents.length,
      summary: {
        outages: incidents.filter((i) => i.kind === "outage").length,
        several: incidents.filter((i) => i.kind === "several").length,
        local: incidents.filter((i) => i.kind === "local").length,
        tillsTripped: new Set(incidents.flatMap((i) => i.trips.map((t) => t.terminalId))).size,
      },
      truncated: truncated || laneOrder.length > MAX_FLEET_LANES,
    };
  });
