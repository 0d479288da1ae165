import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedTerminal } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScopedTerminal } from "../scoped-terminals.ts";
import type { LaneTrips } from "./correlation.ts";
import { drawLanes } from "./fleet-lanes.ts";
import {
  allLanes,
  fleetLanes,
  inOrderUntied,
  instantKey,
  laneTransitions,
  parseLaneCodes,
  parseTimes,
  tripCauses,
  tripsInWindow,
  tripsOfLanes,
} from "./fleet-queries.ts";
import { rankTills } from "./get-fleet.ts";

// The fleet view's reads on their own, with limits small enough to cut (get-fleet.ts uses 20,000).
const at = (hhmmss: string) => new Date(`2026-11-24T${hhmmss}Z`);
const WINDOW = { from: at("08:00:00"), to: at("12:00:00") };

let db: CentralDatabase;
let a: ScopedTerminal;
let b: ScopedTerminal;

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  const org = await seedOrganization(p, { name: "Optika" });
  const store = await seedStore(p, { organizationId: org.id, name: "A Tverskaya" });
  const scoped = async (name: string) => {
    const { terminal } = await seedTerminal(p, { organizationId: org.id, storeId: store.id, name });
    return { ...terminal, name, store: { name: store.name, timezone: "Europe/Moscow" } };
  };
  a = await scoped("A till 1");
  b = await scoped("A till 2");
  const row = (
    till: ScopedTerminal,
    id: string,
    destination: string,
    time: string,
    fromState: string,
    toState: string,
    cause = "",
  ) => ({
    organizationId: till.organizationId,
    terminalId: till.id,
    id,
    destination,
    at: at(time),
    fromState,
    toState,
    cause,
    failures: toState === "open" ? 5 : 0,
  });
  await p.breakerTransition.createMany({
    data: [
      // a's OFD breaker: open since before the window; trips twice inside it, twice at one instant
      // (two reports of one trip: the first by id is the one the view shows).
      row(a, "a-0", "ofd", "07:00:00", "closed", "open", "before the window"),
      row(a, "a-1", "ofd", "08:30:00", "open", "closed"),
      row(a, "a-3", "ofd", "09:00:00", "closed", "open", "second report"),
      row(a, "a-2", "ofd", "09:00:00", "closed", "open", "first report"),
      row(a, "a-4", "ofd", "09:10:00", "open", "half_open"),
      // b: central trips at 09:05 and recovers; its "relay" breaker (a destination of its own) opens.
      row(b, "b-1", "central", "09:05:00", "closed", "open", "connect ETIMEDOUT"),
      row(b, "b-2", "central", "09:15:00", "open", "closed"),
      row(b, "b-3", "relay", "10:00:00", "closed", "open", "relay down"),
      // …and at the same instant half-opens (ids order a tie).
      row(b, "b-4", "relay", "10:00:00", "open", "half_open"),
      // a's relay breaker was left open before the window and stays so: a lane without a transition.
      row(a, "a-r", "relay", "06:00:00", "closed", "open"),
      // After the window: never read.
      row(b, "b-9", "central", "12:00:00", "closed", "open"),
    ],
  });
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe("parseTimes", () => {
  it("reads string_agg's comma-separated epoch ms", () => {
    expect(parseTimes("1764000000123,0,1764000000124")).toEqual([1764000000123, 0, 1764000000124]);
    expect(parseTimes("7")).toEqual([7]);
    expect(parseTimes("")).toEqual([]);
  });
});

describe("parseLaneCodes", () => {
  it("reads each transition's epoch ms × 4 plus its code: closed, half-open, open, or a trip", () => {
    const t = 1764000000123;
    expect(parseLaneCodes(`${t * 4 + 3},${(t + 1) * 4 + 1},${(t + 2) * 4 + 2},${(t + 3) * 4}`)).toEqual({
      atMs: [t, t + 1, t + 2, t + 3],
      toStates: ["open", "half_open", "open", "closed"],
      tripAtMs: [t],
    });
    expect(parseLaneCodes("")).toEqual({ atMs: [], toStates: [], tripAtMs: [] });
  });
});

describe("inOrderUntied", () => {
  it("is true only for strictly ascending times", () => {
    expect(inOrderUntied([])).toBe(true);
    expect(inOrderUntied([1, 2, 5])).toBe(true);
    expect(inOrderUntied([1, 2, 2])).toBe(false);
    expect(inOrderUntied([2, 1])).toBe(false);
  });
});

/** Trip lanes as one trip per time, `a|b/destination hh:mm:ss`, sorted. */
const tripNames = (lanes: readonly LaneTrips[]) =>
  lanes
    .flatMap((l) =>
      l.atMs.map(
        (ms) =>
          `${l.terminalId === a.id ? "a" : "b"}/${l.destination} ${new Date(ms).toISOString().slice(11, 19)}`,
      ),
    )
    .sort();

describe("tripsOfLanes (the trips of a window read whole)", () => {
  it("are tripsInWindow's, with each till's store, within the limit; null above it", async () => {
    const lanes = (await allLanes(db, [a, b], WINDOW, undefined, 100))!;
    const fromLanes = tripsOfLanes(lanes, [a, b], 4);
    const read = await tripsInWindow(db, [a, b], WINDOW, undefined, 4);
    expect(fromLanes?.truncated).toBe(false);
    expect(tripNames(fromLanes!.lanes)).toEqual(tripNames(read.lanes));
    expect(tripNames(fromLanes!.lanes)).toEqual([
      "a/ofd 09:00:00",
      "a/ofd 09:00:00",
      "b/central 09:05:00",
      "b/relay 10:00:00",
    ]);
    const byLane = (l: readonly LaneTrips[]) =>
      [...l].sort((x, y) =>
        `${x.terminalId}/${x.destination}`.localeCompare(`${y.terminalId}/${y.destination}`),
      );
    expect(byLane(fromLanes!.lanes)).toEqual(byLane(read.lanes));
    expect(tripsOfLanes(lanes, [a, b], 3)).toBeNull();
  });

  it("of one destination", async () => {
    const lanes = (await allLanes(db, [a, b], WINDOW, "central", 100))!;
    expect(tripsOfLanes(lanes, [a, b], 10)?.lanes).toEqual(
      (await tripsInWindow(db, [a, b], WINDOW, "central", 10)).lanes,
    );
  });
});

describe("tripsInWindow", () => {
  it("reads the window's trips, the oldest first when more than the limit", async () => {
    const all = await tripsInWindow(db, [a, b], WINDOW, undefined, 10);
    expect(all.truncated).toBe(false);
    expect(tripNames(all.lanes)).toEqual([
      "a/ofd 09:00:00",
      "a/ofd 09:00:00",
      "b/central 09:05:00",
      "b/relay 10:00:00",
    ]);
    const cut = await tripsInWindow(db, [a, b], WINDOW, undefined, 3);
    expect(cut.truncated).toBe(true);
    expect(tripNames(cut.lanes)).toEqual(["a/ofd 09:00:00", "a/ofd 09:00:00", "b/central 09:05:00"]);
    // Exactly the limit is not cut.
    expect((await tripsInWindow(db, [a, b], WINDOW, undefined, 4)).truncated).toBe(false);
  });

  it("reads one destination's, and none for no terminals", async () => {
    const central = await tripsInWindow(db, [a, b], WINDOW, "central", 10);
    expect(central.lanes).toEqual([
      { terminalId: b.id, storeId: b.storeId, destination: "central", atMs: [at("09:05:00").getTime()] },
    ]);
    expect(await tripsInWindow(db, [], WINDOW, undefined, 10)).toEqual({ lanes: [], truncated: false });
  });
});

describe("tripCauses", () => {
  it("gives each trip shown its cause and failures; two at one instant give the first by id", async () => {
    const causes = await tripCauses(db, [
      { terminal: a, destination: "ofd", at: at("09:00:00") },
      { terminal: b, destination: "central", at: at("09:05:00") },
    ]);
    expect(causes.get(instantKey(a.id, "ofd", at("09:00:00").getTime()))).toEqual({
      cause: "first report",
      failures: 5,
    });
    expect(causes.get(instantKey(b.id, "central", at("09:05:00").getTime()))).toEqual({
      cause: "connect ETIMEDOUT",
      failures: 5,
    });
    expect(causes.size).toBe(2);
  });
});

describe("fleetLanes", () => {
  it("lists the lanes that moved with their counts, and those not closed when the window began", async () => {
    const lanes = await fleetLanes(db, [a, b], WINDOW, undefined);
    expect(
      lanes.moved.map((l) => `${l.terminalId === a.id ? "a" : "b"}/${l.destination} ${l.transitions}`).sort(),
    ).toEqual(["a/ofd 4", "b/central 2", "b/relay 2"]);
    // a's relay lane did not move but was open: found because relay moved for another till.
    expect(lanes.notClosedBefore).toEqual(
      new Map([
        [`${a.id}/ofd`, "open"],
        [`${a.id}/relay`, "open"],
      ]),
    );
  });

  it("asks for one destination only", async () => {
    const lanes = await fleetLanes(db, [a, b], WINDOW, "ofd");
    expect(lanes.moved).toEqual([{ terminalId: a.id, destination: "ofd", transitions: 4 }]);
    expect([...lanes.notClosedBefore.keys()]).toEqual([`${a.id}/ofd`]);
  });
});

describe("laneTransitions", () => {
  const minutes = (lane: { atMs: readonly number[] }, i: number) =>
    (lane.atMs[i]! - WINDOW.from.getTime()) / 60_000;
  const flat = (read: Awaited<ReturnType<typeof laneTransitions>>) =>
    read.lanes
      .flatMap((l) =>
        l.toStates.map((state, i) => `${l.destination} ${minutes(l, i)} ${state} ${l.ids[i] || "-"}`),
      )
      .sort();

  it("reads each lane's times and shown states, uncut within the limit; ids only where a lane has a tie", async () => {
    const read = await laneTransitions(db, [a, b], WINDOW, undefined, 10, 8);
    expect(read.truncated).toBe(false);
    expect(flat(read)).toEqual([
      "central 65 open -",
      "central 75 closed -",
      "ofd 30 closed -",
      "ofd 60 open a-2",
      "ofd 60 open a-3",
      "ofd 70 half_open -",
      "relay 120 half_open b-4",
      "relay 120 open b-3",
    ]);
  });

  it("keeps the oldest, with their ids, when more than the limit are expected", async () => {
    const read = await laneTransitions(db, [a, b], WINDOW, undefined, 3, 8);
    expect(read.truncated).toBe(true);
    expect(flat(read)).toEqual(["ofd 30 closed a-1", "ofd 60 open a-2", "ofd 60 open a-3"]);
  });

  it("cuts as well when fewer were counted than it reads (stored since)", async () => {
    const read = await laneTransitions(db, [a, b], WINDOW, undefined, 3, 2);
    expect(read.truncated).toBe(true);
    expect(flat(read)).toEqual(["ofd 30 closed a-1", "ofd 60 open a-2", "ofd 60 open a-3"]);
  });
});

describe("allLanes", () => {
  it("reads the whole window's lanes within the bound, nothing beyond it", async () => {
    const lanes = await allLanes(db, [a, b], WINDOW, undefined, 8);
    expect(lanes?.map((l) => `${l.destination} ${l.atMs.length}`).sort()).toEqual([
      "central 2",
      "ofd 4",
      "relay 2",
    ]);
    expect(await allLanes(db, [a, b], WINDOW, undefined, 7)).toBeNull();
  });
});

describe("drawLanes (the fleet view's lanes)", () => {
  const limits = { lanes: 300, transitions: 20_000, segments: 80, read: 50_000 };
  const draw = (over: Partial<typeof limits>, destination?: string) =>
    drawLanes(db, [a, b], rankTills([a, b]), WINDOW, destination, { ...limits, ...over });

  it("draws each lane that moved or was not closed, by till and destination, the tie ordered by id", async () => {
    const view = await draw({});
    expect(view.truncated).toBe(false);
    expect(
      view.lanes.map((l) => `${l.terminalId === a.id ? "a" : "b"}/${l.destination} ${l.states.join(",")}`),
    ).toEqual([
      "a/ofd open,closed,open,half_open",
      "a/relay open",
      "b/central closed,open,closed",
      "b/relay closed,half_open",
    ]);
  });

  it("draws the same when the window is read whole and when its lanes are read first (a busier one)", async () => {
    for (const over of [{}, { lanes: 1 }, { transitions: 3 }, { segments: 2 }]) {
      expect(await draw({ ...over, read: 0 })).toEqual(await draw(over));
    }
    expect(await draw({ read: 0 }, "ofd")).toEqual(await draw({}, "ofd"));
    expect((await draw({ transitions: 3 })).truncated).toBe(true);
    expect((await draw({ lanes: 1 })).truncated).toBe(true);
  });
});
