import { describe, expect, it } from "vitest";
import { type BreakerTrip, correlateLanes, correlateTrips, type LaneTrips } from "./correlation.ts";

const T0 = new Date("2026-11-24T09:00:00Z").getTime();
const trip = (terminalId: string, seconds: number, destination = "ofd", storeId = "s1"): BreakerTrip => ({
  terminalId,
  storeId,
  destination,
  at: new Date(T0 + seconds * 1000),
  cause: "5 consecutive failures; last: connect ECONNREFUSED",
  failures: 5,
});

describe("correlateTrips (the breaker correlation rule)", () => {
  it("three tills' OFD breakers opening within a minute are one outage", () => {
    const incidents = correlateTrips([trip("t3", 41, "ofd", "s2"), trip("t1", 0), trip("t2", 12)]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ destination: "ofd", kind: "outage", storeIds: ["s1", "s2"] });
    expect(incidents[0]!.trips.map((t) => t.terminalId)).toEqual(["t1", "t2", "t3"]);
    expect(incidents[0]!.startedAt).toEqual(new Date(T0));
    expect(incidents[0]!.lastTripAt).toEqual(new Date(T0 + 41_000));
  });

  it("one till alone is local", () => {
    expect(correlateTrips([trip("t1", 0)])).toMatchObject([{ kind: "local", trips: [{ terminalId: "t1" }] }]);
  });

  it("a till tripping again inside the window counts once (two tills are 'several', not an outage)", () => {
    const [incident] = correlateTrips([trip("t1", 0), trip("t1", 20), trip("t2", 30)]);
    expect(incident).toMatchObject({ kind: "several" });
    expect(incident!.trips).toHaveLength(2);
  });

  it("the window is fixed at the incident's first trip: a slow trickle does not chain into an outage", () => {
    const incidents = correlateTrips([trip("t1", 0), trip("t2", 50), trip("t3", 100), trip("t4", 150)]);
    expect(incidents.map((i) => [i.kind, i.trips.length])).toEqual([
      ["several", 2],
      ["several", 2],
    ]);
  });

  it("destinations are never mixed: the central server and the OFD failing together are two incidents", () => {
    const incidents = correlateTrips([
      trip("t1", 0, "ofd"),
      trip("t2", 1, "central"),
      trip("t3", 2, "ofd"),
      trip("t4", 3, "central"),
    ]);
    expect(incidents.map((i) => [i.destination, i.kind]).sort()).toEqual([
      ["central", "several"],
      ["ofd", "several"],
    ]);
  });

  it("a trip exactly windowMs after the first still joins; one millisecond later does not", () => {
    const rule = { windowMs: 60_000, minTills: 3 };
    expect(correlateTrips([trip("t1", 0), trip("t2", 30), trip("t3", 60)], rule)[0]!.kind).toBe("outage");
    const late = { ...trip("t3", 60), at: new Date(T0 + 60_001) };
    expect(correlateTrips([trip("t1", 0), trip("t2", 30), late], rule).map((i) => i.kind)).toEqual([
      "local",
      "several",
    ]);
  });

  it("minTills is the threshold, and incidents come newest first", () => {
    const trips = [trip("a", 0), trip("b", 1), trip("c", 600), trip("d", 601), trip("e", 602)];
    expect(correlateTrips(trips, { windowMs: 60_000, minTills: 2 }).map((i) => i.kind)).toEqual([
      "outage",
      "outage",
    ]);
    expect(correlateTrips(trips).map((i) => [i.kind, i.startedAt.getTime() - T0])).toEqual([
      ["outage", 600_000],
      ["several", 0],
    ]);
  });

  it("refuses a rule that cannot tell an outage from a till (minTills below 2)", () => {
    expect(() => correlateTrips([], { windowMs: 60_000, minTills: 1 })).toThrow(RangeError);
    expect(correlateTrips([])).toEqual([]);
  });
});

/** correlateTrips' answer as correlateLanes gives it: counted whole, the newest listed with their first tills. */
function listedOf(
  trips: readonly BreakerTrip[],
  rule = { windowMs: 60_000, minTills: 3 },
  limits = { incidents: 200, trips: 20 },
) {
  const incidents = correlateTrips(trips, rule);
  const tripped = new Set(incidents.flatMap((i) => i.trips.map((t) => t.terminalId)));
  return {
    count: incidents.length,
    summary: {
      outages: incidents.filter((i) => i.kind === "outage").length,
      several: incidents.filter((i) => i.kind === "several").length,
      local: incidents.filter((i) => i.kind === "local").length,
      tillsTripped: tripped.size,
    },
    listed: incidents.slice(0, limits.incidents).map((i) => ({
      destination: i.destination,
      kind: i.kind,
      startedAt: i.startedAt,
      lastTripAt: i.lastTripAt,
      tillCount: i.trips.length,
      storeCount: i.storeIds.length,
      trips: i.trips
        .slice(0, limits.trips)
        .map((t) => ({ terminalId: t.terminalId, storeId: t.storeId, destination: t.destination, at: t.at })),
    })),
  };
}

/** Trips as lanes (per till and destination, in the order they come), as the fleet view reads them. */
function lanesOf(trips: readonly BreakerTrip[]): LaneTrips[] {
  const lanes = new Map<string, LaneTrips & { atMs: number[] }>();
  for (const t of trips) {
    const key = `${t.terminalId}/${t.destination}`;
    const lane = lanes.get(key) ?? {
      terminalId: t.terminalId,
      storeId: t.storeId,
      destination: t.destination,
      atMs: [],
    };
    lanes.set(key, lane);
    lane.atMs.push(t.at.getTime());
  }
  return [...lanes.values()];
}

describe("correlateLanes (the rule as the fleet view lists it)", () => {
  it("gives correlateTrips' incidents, counts and first tills for random fleets", () => {
    // A fixed pseudo-random sequence: the same cases every run.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let run = 0; run < 60; run++) {
      const tills = 1 + Math.floor(random() * 12);
      const trips: BreakerTrip[] = [];
      const count = Math.floor(random() * 80);
      for (let k = 0; k < count; k++) {
        const till = Math.floor(random() * tills);
        // Coarse times so that trips share instants and windows (ties across and within tills).
        trips.push(
          trip(
            `t${till}`,
            Math.floor(random() * 40) * 15,
            random() < 0.6 ? "ofd" : random() < 0.8 ? "central" : "relay",
            `s${till % 3}`,
          ),
        );
      }
      const rule = { windowMs: [0, 30_000, 60_000, 600_000][run % 4]!, minTills: 2 + (run % 3) };
      const limits = { incidents: run % 5 === 0 ? 2 : 200, trips: run % 3 === 0 ? 1 : 20 };
      expect(correlateLanes(lanesOf(trips), rule, limits)).toEqual(listedOf(trips, rule, limits));
    }
  });

  it("counts every incident but lists the newest first, each with its first tills only", () => {
    const trips = [
      trip("t1", 0),
      trip("t2", 10, "ofd", "s2"),
      trip("t3", 20),
      trip("t1", 200),
      trip("t4", 400, "central"),
    ];
    const view = correlateLanes(
      lanesOf(trips),
      { windowMs: 60_000, minTills: 3 },
      { incidents: 2, trips: 2 },
    );
    expect(view.count).toBe(3);
    expect(view.summary).toEqual({ outages: 1, several: 0, local: 2, tillsTripped: 4 });
    expect(view.listed.map((i) => [i.destination, i.kind, i.tillCount])).toEqual([
      ["central", "local", 1],
      ["ofd", "local", 1],
    ]);
    const outage = correlateLanes(
      lanesOf(trips),
      { windowMs: 60_000, minTills: 3 },
      { incidents: 3, trips: 2 },
    ).listed[2]!;
    expect(outage).toMatchObject({ kind: "outage", tillCount: 3, storeCount: 2 });
    expect(outage.trips.map((t) => t.terminalId)).toEqual(["t1", "t2"]);
  });

  it("an empty fleet has no incidents; a bad rule is a RangeError", () => {
    expect(correlateLanes([], { windowMs: 60_000, minTills: 3 }, { incidents: 200, trips: 20 })).toEqual({
      count: 0,
      summary: { outages: 0, several: 0, local: 0, tillsTripped: 0 },
      listed: [],
    });
    expect(() => correlateLanes([], { windowMs: 60_000, minTills: 1 }, { incidents: 1, trips: 1 })).toThrow(
      RangeError,
    );
  });
});
