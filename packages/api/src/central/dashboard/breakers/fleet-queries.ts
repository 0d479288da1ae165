import type { CentralDatabase } from "../../context.ts";
import type { ScopedTerminal } from "../scoped-terminals.ts";
import type { LaneTrips } from "./correlation.ts";
import { KNOWN_DESTINATIONS } from "./queries.ts";
import type { BreakerState, LaneTransitionColumns } from "./segments.ts";

/**
 * The fleet view's reads (get-fleet.ts). A chain's week is 18,000 transitions of which 6,000 are
 * trips; read as rows with their causes, node-postgres parsing them cell by cell cost as much as
 * the statements did. So each read brings only what its part of the view uses: the trips without
 * their causes (correlation needs till, destination and time), which lanes exist (one row each),
 * the drawn lanes' states as one string per lane, and afterwards the causes of the few trips shown.
 */

/** Epoch ms as float8: exact for timestamp(3), and cheaper than numeric `extract`. */
const atMs = (column: string) => `round(date_part('epoch', ${column}) * 1000)`;

function terminalParams(terminals: readonly ScopedTerminal[]) {
  return {
    organizationIds: terminals.map((t) => t.organizationId),
    ids: terminals.map((t) => t.id),
    organizations: [...new Set(terminals.map((t) => t.organizationId))],
  };
}

/**
 * Epoch-ms integers in a comma-separated string (string_agg of atMs), read without a string for
 * each: a week's lanes are 10,000+ of them.
 */
export function parseTimes(text: string): number[] {
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      times.push(n);
      n = 0;
    } else {
      n = n * 10 + (c - 48);
    }
  }
  if (text.length > 0) times.push(n);
  return times;
}

/**
 * The trips of these terminals inside [from, to), at most `limit`: the oldest (then by till and
 * id), through the partial index of trips (breaker_transitions_trips_idx), already in time order.
 * Their times come per lane as one string (a row per trip cost more to parse than to find), in no
 * particular order (correlateLanes sorts).
 */
export async function tripsInWindow(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  limit: number,
): Promise<{ lanes: LaneTrips[]; truncated: boolean }> {
  if (terminals.length === 0) return { lanes: [], truncated: false };
  const p = terminalParams(terminals);
  // One more than `limit` is read to tell whether it was cut; row_number counts along the order
  // the rows are already in.
  const rows = await db.sql.query<{
    terminal_id: string;
    destination: string;
    ats: string | null;
    last: bigint;
  }>(
    `SELECT terminal_id, destination, string_agg(${atMs("at")}::text, ',') FILTER (WHERE n <= $7) AS ats, max(n) AS last
     FROM (
       SELECT terminal_id, destination, at, row_number() OVER (ORDER BY at, terminal_id, id) AS n
       FROM breaker_transitions
       WHERE organization_id = ANY($1::text[]) AND terminal_id = ANY($2::text[]) AND at >= $3 AND at < $4
         AND ($5::text IS NULL OR destination = $5)
         AND from_state = 'closed' AND to_state IN ('open', 'isolated')
       ORDER BY at, terminal_id, id
       LIMIT $6
     ) trips
     GROUP BY terminal_id, destination`,
    [p.organizations, p.ids, window.from, window.to, destination ?? null, limit + 1, limit],
  );
  const storeOf = new Map(terminals.map((t) => [t.id, t.storeId]));
  return {
    // As correlateLanes takes them; causes come later, for the trips listed (tripCauses).
    lanes: rows.flatMap((r) =>
      r.ats === null
        ? []
        : [
            {
              terminalId: r.terminal_id,
              storeId: storeOf.get(r.terminal_id)!,
              destination: r.destination,
              atMs: parseTimes(r.ats),
            },
          ],
    ),
    truncated: rows.some((r) => r.last > BigInt(limit)),
  };
}

/**
 * The trips of lanes read whole (allLanes: every transition of the window), as tripsInWindow gives
 * them when there are at most `limit`; null when there are more (tripsInWindow then keeps the
 * oldest). Saves the window's second scan: a chain's week is 6,000 trips among 18,000 transitions.
 */
export function tripsOfLanes(
  lanes: readonly LaneTransitions[],
  terminals: readonly ScopedTerminal[],
  limit: number,
): { lanes: LaneTrips[]; truncated: false } | null {
  let count = 0;
  for (const lane of lanes) count += lane.tripAtMs.length;
  if (count > limit) return null;
  const storeOf = new Map(terminals.map((t) => [t.id, t.storeId]));
  return {
    lanes: lanes
      .filter((lane) => lane.tripAtMs.length > 0)
      .map((lane) => ({
        terminalId: lane.terminalId,
        storeId: storeOf.get(lane.terminalId)!,
        destination: lane.destination,
        atMs: lane.tripAtMs,
      })),
    truncated: false,
  };
}

/** A trip shown by the view, by what identifies it there: its till, destination and time. */
export interface TripKey {
  terminal: ScopedTerminal;
  destination: string;
  at: Date;
}

/**
 * The cause and failure count of each trip asked for (`terminalId/destination/epoch ms` → them):
 * one index probe per trip on (organization_id, terminal_id, destination, at). Two trips of one
 * breaker at the same millisecond give the first by id, the first in tripsInWindow's (at, till, id) order.
 */
export async function tripCauses(
  db: CentralDatabase,
  trips: readonly TripKey[],
): Promise<Map<string, { cause: string; failures: number }>> {
  const causes = new Map<string, { cause: string; failures: number }>();
  if (trips.length === 0) return causes;
  const rows = await db.sql.query<{
    terminal_id: string;
    destination: string;
    at_ms: number;
    cause: string;
    failures: number;
  }>(
    `SELECT DISTINCT ON (b.terminal_id, b.destination, b.at)
       b.terminal_id, b.destination, ${atMs("b.at")} AS at_ms, b.cause, b.failures
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS k(organization_id, terminal_id, destination, at)
     JOIN breaker_transitions b ON b.organization_id = k.organization_id AND b.terminal_id = k.terminal_id
       AND b.destination = k.destination AND b.at = k.at
     WHERE b.from_state = 'closed' AND b.to_state IN ('open', 'isolated')
     ORDER BY b.terminal_id, b.destination, b.at, b.id`,
    [
      trips.map((t) => t.terminal.organizationId),
      trips.map((t) => t.terminal.id),
      trips.map((t) => t.destination),
      trips.map((t) => t.at),
    ],
  );
  for (const r of rows) {
    causes.set(instantKey(r.terminal_id, r.destination, r.at_ms), { cause: r.cause, failures: r.failures });
  }
  return causes;
}

/** A lane's instant: `terminalId/destination/epoch ms`. */
export const instantKey = (terminalId: string, destination: string, atMs: number) =>
  `${terminalId}/${destination}/${atMs}`;

/** Which lanes a fleet view has, before it picks the ones it draws. */
export interface FleetLanes {
  /** The (terminal, destination) pairs with a transition in the window, and how many. */
  moved: { terminalId: string; destination: string; transitions: number }[];
  /**
   * The pairs whose last state reported before the window is not `closed` (`terminalId/destination`
   * → that state), over the known destinations (or the one asked for) and every one that moved in
   * the window; absent: closed.
   */
  notClosedBefore: Map<string, string>;
}

/**
 * The fleet view's lanes in one statement: the pairs that moved in the window (with their counts,
 * so that laneTransitions knows whether it may be cut), and those not closed when it began (one
 * index probe per till and destination, as statesBefore).
 */
export async function fleetLanes(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
): Promise<FleetLanes> {
  if (terminals.length === 0) return { moved: [], notClosedBefore: new Map() };
  const p = terminalParams(terminals);
  const [row] = await db.sql.query<{
    moved: [string, string, number][] | null;
    before: [string, string, string][] | null;
  }>(
    `WITH moved AS (
       SELECT terminal_id, destination, count(*)::int AS transitions FROM breaker_transitions
       WHERE organization_id = ANY($3::text[]) AND terminal_id = ANY($2::text[]) AND at >= $4 AND at < $5
         AND ($6::text IS NULL OR destination = $6)
       GROUP BY terminal_id, destination
     ),
     before AS (
       SELECT t.terminal_id, d.destination, b.to_state
       FROM unnest($1::text[], $2::text[]) AS t(organization_id, terminal_id)
       -- An array, not a set: the planner guesses 10 destinations instead of one per moved lane,
       -- which priced the probes high enough to JIT-compile the statement (50 ms of a 60 ms call).
       CROSS JOIN unnest(ARRAY(SELECT unnest($7::text[]) UNION SELECT destination FROM moved)) AS d(destination)
       CROSS JOIN LATERAL (
         SELECT to_state FROM breaker_transitions b
         WHERE b.organization_id = t.organization_id AND b.terminal_id = t.terminal_id
           AND b.destination = d.destination AND b.at < $4
         ORDER BY b.at DESC, b.id DESC LIMIT 1
       ) b
       WHERE b.to_state <> 'closed'
     )
     SELECT (SELECT json_agg(json_build_array(terminal_id, destination, transitions)) FROM moved) AS moved,
       (SELECT json_agg(json_build_array(terminal_id, destination, to_state)) FROM before) AS before`,
    [
      p.organizationIds,
      p.ids,
      p.organizations,
      window.from,
      window.to,
      destination ?? null,
      destination ? [destination] : [...KNOWN_DESTINATIONS],
    ],
  );
  return {
    moved: (row?.moved ?? []).map(([terminalId, dest, transitions]) => ({
      terminalId,
      destination: dest,
      transitions,
    })),
    notClosedBefore: new Map(
      (row?.before ?? []).map(([terminalId, dest, state]) => [`${terminalId}/${dest}`, state]),
    ),
  };
}

/** One lane's transitions as it is drawn (compactLaneOf). */
export interface LaneTransitions extends LaneTransitionColumns {
  terminalId: string;
  destination: string;
  /** The times (epoch ms) of the lane's trips among them (isTrip), in the order read. */
  tripAtMs: number[];
}

/** Shown states as one letter each (segments.ts, shownState), for tiedIds' rows. */
const shownCode = (column: string) =>
  `CASE ${column} WHEN 'half_open' THEN 'h' WHEN 'open' THEN 'o' WHEN 'isolated' THEN 'o' ELSE 'c' END`;
const SHOWN_STATE: Record<string, BreakerState> = { h: "half_open", o: "open", c: "closed" };

/**
 * A transition as one integer: its epoch ms × 4 plus its shown state (0 closed, 1 half-open, 2
 * open) or 3 for an open one that is a trip (segments.ts, isTrip: from closed to open or
 * isolated). One number per transition is one aggregate and one string per lane, and the trips
 * come with the lanes instead of from a statement of their own. Below 2^53 until the year 2500.
 */
const TRANSITION_CODE = `round(date_part('epoch', at) * 1000)::int8 * 4
  + CASE WHEN to_state = 'half_open' THEN 1
      WHEN to_state IN ('open', 'isolated') THEN CASE WHEN from_state = 'closed' THEN 3 ELSE 2 END
      ELSE 0 END`;
const CODED_STATE: readonly BreakerState[] = ["closed", "half_open", "open", "open"];

/**
 * A lane's transitions from string_agg of TRANSITION_CODE (comma-separated), read without a
 * string for each: a week of a chain is 18,000 of them.
 */
export function parseLaneCodes(text: string): Pick<LaneTransitions, "atMs" | "toStates" | "tripAtMs"> {
  const atMs: number[] = [];
  const toStates: BreakerState[] = [];
  const tripAtMs: number[] = [];
  const push = (n: number) => {
    const code = n % 4;
    const at = (n - code) / 4;
    atMs.push(at);
    toStates.push(CODED_STATE[code]!);
    if (code === 3) tripAtMs.push(at);
  };
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      push(n);
      n = 0;
    } else {
      n = n * 10 + (c - 48);
    }
  }
  if (text.length > 0) push(n);
  return { atMs, toStates, tripAtMs };
}

/**
 * The transitions of these terminals inside [from, to) per (terminal, destination), without causes:
 * per lane one string of TRANSITION_CODE (its times, shown states and which are trips), each lane's
 * in no particular order (compactLaneOf sorts them), and no ids (they only order transitions of one
 * lane at one instant: tiedIds reads those few). `cut`: the oldest `cut` only (then by till and id),
 * ids and all. `bound`: at most `bound` + 1 of them, any (whether there are more than `bound`).
 */
async function readLanes(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  only: { cut?: number; bound?: number } = {},
): Promise<{ lanes: LaneTransitions[]; read: number }> {
  if (terminals.length === 0) return { lanes: [], read: 0 };
  const p = terminalParams(terminals);
  const { cut, bound } = only;
  // Grouped in "C" order: the groups' order does not matter, and strcoll costs a third of the sort.
  const rows = await db.sql.query<{
    terminal_id: string;
    destination: string;
    transitions: string;
    ids?: string[];
  }>(
    `SELECT terminal_id COLLATE "C" AS terminal_id, destination COLLATE "C" AS destination,
       string_agg((${TRANSITION_CODE})::text, ',') AS transitions
       ${cut !== undefined ? ", json_agg(id) AS ids" : ""}
     FROM (
       SELECT terminal_id, destination, id, at, from_state, to_state FROM breaker_transitions
       WHERE organization_id = ANY($1::text[]) AND terminal_id = ANY($2::text[]) AND at >= $3 AND at < $4
         AND ($5::text IS NULL OR destination = $5)
       ${cut !== undefined ? "ORDER BY at, terminal_id, id LIMIT $6" : bound !== undefined ? "LIMIT $6" : ""}
     ) w
     GROUP BY 1, 2`,
    [
      p.organizations,
      p.ids,
      window.from,
      window.to,
      destination ?? null,
      ...(cut !== undefined ? [cut] : bound !== undefined ? [bound + 1] : []),
    ],
  );
  let read = 0;
  const lanes = rows.map((r) => {
    const lane = parseLaneCodes(r.transitions);
    read += lane.atMs.length;
    return {
      terminalId: r.terminal_id,
      destination: r.destination,
      ...lane,
      ids: r.ids ?? new Array<string>(lane.atMs.length).fill(""),
    };
  });
  return { lanes, read };
}

/**
 * Every lane of these terminals that moved inside [from, to), with its transitions as the fleet
 * view draws them (readLanes, ties not yet given their ids), when they are at most `bound`; null
 * when there are more (the view then reads which lanes moved first: fleetLanes).
 */
export async function allLanes(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  bound: number,
): Promise<LaneTransitions[] | null> {
  const { lanes, read } = await readLanes(db, terminals, window, destination, { bound });
  return read > bound ? null : lanes;
}

/**
 * The transitions of these terminals inside [from, to) per lane (readLanes), at most `limit` of
 * them: the oldest, then by till and id. `expected` is how many there are (fleetLanes): within
 * `limit` nothing is cut and the statement neither sorts nor limits.
 */
export async function laneTransitions(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  limit: number,
  expected: number,
): Promise<{ lanes: LaneTransitions[]; truncated: boolean }> {
  if (expected > limit) {
    const { lanes } = await readLanes(db, terminals, window, destination, { cut: limit });
    return { lanes, truncated: true };
  }
  const { lanes, read } = await readLanes(db, terminals, window, destination);
  // Transitions stored since fleetLanes counted them: read again as if they had been counted.
  if (read > limit) return laneTransitions(db, terminals, window, destination, limit, read);
  await tiedIds(db, terminals, lanes);
  return { lanes, truncated: false };
}

/** Whether these times ascend strictly: no two at one instant, none out of order. */
export function inOrderUntied(atMs: readonly number[]): boolean {
  for (let i = 1; i < atMs.length; i++) if (!(atMs[i - 1]! < atMs[i]!)) return false;
  return true;
}

/**
 * Gives the transitions of a lane that share an instant their ids (and, read in the same row, their
 * states), the rest keeping none: compactLaneOf orders such a tie by id. One statement for every
 * tie of the view, none when there is no tie (a breaker's transitions are seconds apart).
 */
export async function tiedIds(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  lanes: readonly LaneTransitions[],
): Promise<void> {
  const ties: { lane: LaneTransitions; atMs: number; positions: number[] }[] = [];
  for (const lane of lanes) {
    // Most lanes come in time order (the window is read in about the order it was stored) and
    // without a tie: told in one pass, without a map of a week's 18,000 instants.
    if (inOrderUntied(lane.atMs)) continue;
    const positions = new Map<number, number[]>();
    lane.atMs.forEach((at, i) => {
      const list = positions.get(at);
      if (list) list.push(i);
      else positions.set(at, [i]);
    });
    for (const [at, list] of positions) if (list.length > 1) ties.push({ lane, atMs: at, positions: list });
  }
  if (ties.length === 0) return;
  const organizationOf = new Map(terminals.map((t) => [t.id, t.organizationId]));
  const rows = await db.sql.query<{
    terminal_id: string;
    destination: string;
    at_ms: number;
    id: string;
    state: string;
  }>(
    `SELECT b.terminal_id, b.destination, ${atMs("b.at")} AS at_ms, b.id, ${shownCode("b.to_state")} AS state
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS k(organization_id, terminal_id, destination, at)
     JOIN breaker_transitions b ON b.organization_id = k.organization_id AND b.terminal_id = k.terminal_id
       AND b.destination = k.destination AND b.at = k.at`,
    [
      ties.map((t) => organizationOf.get(t.lane.terminalId)!),
      ties.map((t) => t.lane.terminalId),
      ties.map((t) => t.lane.destination),
      ties.map((t) => new Date(t.atMs)),
    ],
  );
  const read = new Map<string, { id: string; state: string }[]>();
  for (const r of rows) {
    const key = instantKey(r.terminal_id, r.destination, r.at_ms);
    const list = read.get(key);
    if (list) list.push(r);
    else read.set(key, [r]);
  }
  for (const { lane, atMs: at, positions } of ties) {
    const found = read.get(instantKey(lane.terminalId, lane.destination, at)) ?? [];
    // As many as read before (the table is append-only): each position takes one of them.
    positions.forEach((position, k) => {
      const row = found[k];
      if (!row) return;
      (lane.ids as string[])[position] = row.id;
      (lane.toStates as BreakerState[])[position] = SHOWN_STATE[row.state]!;
    });
  }
}
