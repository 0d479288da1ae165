import { compareText } from "../compare-text.ts";
import { permitted } from "../permissions.ts";
import { type ScopedTerminal, scopedTerminals } from "../scoped-terminals.ts";
import { correlateLanes } from "./correlation.ts";
import { drawLanes, readWindow } from "./fleet-lanes.ts";
import { instantKey, tripCauses, tripsInWindow, tripsOfLanes } from "./fleet-queries.ts";
import { ZGetBreakerFleetInput, ZGetBreakerFleetOutput } from "./get-fleet.types.ts";

/**
 * One fleet view holds at most this many trips, transitions of its drawn lanes, and lanes (a
 * chain-wide outage is one trip and ~3 transitions per till).
 */
export const MAX_FLEET_TRIPS = 20_000;
export const MAX_FLEET_TRANSITIONS = 20_000;
export const MAX_FLEET_LANES = 300;
/**
 * A window of the scope with at most this many transitions is read whole at once, its lanes known
 * from it (fleet-lanes.ts); a busier one reads which lanes moved first.
 */
export const MAX_FLEET_READ = 50_000;
/**
 * The page lists at most this many incidents (newest first) and names at most this many tills per
 * incident: a week of a busy chain is thousands of incidents and outages of hundreds of tills, more
 * than a table can show and a 3 MB answer to build, validate and ship. The summary and each
 * incident's `tillCount` still count everything.
 */
export const MAX_FLEET_INCIDENTS = 200;
/** Segments a lane ships (the page's chart draws as many; the till's timeline has them all). */
export const MAX_LANE_SEGMENTS = 80;
export const MAX_INCIDENT_TRIPS = 20;

/**
 * Each till's place in the order by store name, then till name (compareText): tills that compare
 * equal on both share a place. Store names are ranked first, so till names are compared only
 * within a store.
 */
export function rankTills(terminals: readonly ScopedTerminal[]): Map<string, number> {
  const storeNames = [...new Set(terminals.map((t) => t.store.name))].sort(compareText);
  const storeRank = new Map<string, number>();
  storeNames.forEach((name, i) => {
    const previous = storeNames[i - 1];
    storeRank.set(
      name,
      previous !== undefined && compareText(previous, name) === 0 ? storeRank.get(previous)! : i,
    );
  });
  const tills = terminals.map((t) => ({ id: t.id, store: storeRank.get(t.store.name)!, name: t.name }));
  tills.sort((a, b) => a.store - b.store || compareText(a.name, b.name));
  const ranks = new Map<string, number>();
  tills.forEach((till, i) => {
    const previous = tills[i - 1];
    const same =
      previous !== undefined && previous.store === till.store && compareText(previous.name, till.name) === 0;
    ranks.set(till.id, same ? ranks.get(previous.id)! : i);
  });
  return ranks;
}

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
    // The lanes' order (by store, till, destination) through each till's rank among the scope's:
    // a few hundred names compared once, not in each of thousands of lane comparisons.
    const tillRank = rankTills(terminals);
    // Each till as the answer names it, made once (spread into each of thousands of trips and lanes).
    const tills = new Map(
      terminals.map((t) => [
        t.id,
        { terminalId: t.id, terminalName: t.name, storeId: t.storeId, storeName: t.store.name },
      ]),
    );
    const till = (terminalId: string) => tills.get(terminalId)!;
    // Not every transition in the window with its cause (a week of a chain: 18,000 rows;
    // fleet-queries.ts): the window read whole once without causes (readWindow), which gives both
    // the trips and the lanes; then two chains side by side, each one's work done while the other's
    // statement runs: the trips' correlation (correlateLanes: counted all, built only for the
    // incidents listed) and the causes of those listed; and the lanes
    // (fleet-lanes.ts). A busier window (or one with more trips than a view holds) reads its
    // trips on their own, the oldest first.
    const started = readWindow(ctx.db, terminals, window, input.destination, MAX_FLEET_READ);
    const [listing, drawing] = await Promise.all([
      (async () => {
        const whole = await started.whole;
        const trips =
          (whole && tripsOfLanes(whole, terminals, MAX_FLEET_TRIPS)) ??
          (await tripsInWindow(ctx.db, terminals, window, input.destination, MAX_FLEET_TRIPS));
        const incidents = correlateLanes(trips.lanes, rule, {
          incidents: MAX_FLEET_INCIDENTS,
          trips: MAX_INCIDENT_TRIPS,
        });
        // The causes of the trips listed only: a few hundred of a week's thousands.
        const causes = await tripCauses(
          ctx.db,
          incidents.listed.flatMap((incident) =>
            incident.trips.map((t) => ({
              terminal: byId.get(t.terminalId)!,
              destination: t.destination,
              at: t.at,
            })),
          ),
        );
        return { truncated: trips.truncated, incidents, causes };
      })(),
      drawLanes(
        ctx.db,
        terminals,
        tillRank,
        window,
        input.destination,
        {
          lanes: MAX_FLEET_LANES,
          transitions: MAX_FLEET_TRANSITIONS,
          segments: MAX_LANE_SEGMENTS,
          read: MAX_FLEET_READ,
        },
        started,
      ),
    ]);

    const { incidents, causes } = listing;

    return {
      from: input.from,
      to: input.to,
      rule,
      incidents: incidents.listed.map((incident) => ({
        destination: incident.destination,
        kind: incident.kind,
        startedAt: incident.startedAt,
        lastTripAt: incident.lastTripAt,
        tillCount: incident.tillCount,
        trips: incident.trips.map((trip) => ({
          ...till(trip.terminalId),
          at: trip.at,
          // Read a moment ago from an append-only table: always found (the fallback is for types).
          ...(causes.get(instantKey(trip.terminalId, trip.destination, trip.at.getTime())) ?? {
            cause: "",
            failures: 0,
          }),
        })),
        storeCount: incident.storeCount,
      })),
      // Properties named, not spread: spreading two objects into each of 300 lanes was slower
      // than the rest of the answer's assembly together.
      lanes: drawing.lanes.map((lane) => {
        const { terminalName, storeId, storeName } = till(lane.terminalId);
        return {
          terminalId: lane.terminalId,
          terminalName,
          storeId,
          storeName,
          destination: lane.destination,
          states: lane.states,
          starts: lane.starts,
          more: lane.more,
          cutAt: lane.cutAt,
        };
      }),
      incidentCount: incidents.count,
      summary: incidents.summary,
      truncated: listing.truncated || drawing.truncated,
    };
  });
