import { describe, expect, it } from "vitest";
import { compareText } from "../compare-text.ts";
import {
  type CorrelationRule,
  correlateLanes,
  DEFAULT_CORRELATION_RULE,
  type LaneTrips,
} from "./correlation.ts";

interface Trip {
  terminalId: string;
  storeId: string;
  destination: string;
  at: Date;
}

const T0 = new Date("2026-11-24T09:00:00Z").getTime();
const trip = (terminalId: string, seconds: number, destination = "ofd", storeId = "s1"): Trip => ({
  terminalId,
  storeId,
  destination,
  at: new Date(T0 + seconds * 1000),
});

/** Trips as lanes (per till and destination, in the order they come), as the fleet view reads them. */
function lanesOf(trips: readonly Trip[]): LaneTrips[] {
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

/** Every incident of these trips, each with all its tills. */
const correlate = (trips: readonly Trip[], rule: CorrelationRule = DEFAULT_CORRELATION_RULE) =>
  correlateLanes(lanesOf(trips), rule, {
    incidents: Number.POSITIVE_INFINITY,
    trips: Number.POSITIVE_INFINITY,
  }).listed;

describe("correlateLanes (the breaker correlation rule)", () => {
  it("three tills' OFD breakers opening within a minute are one outage", () => {
    const incidents = correlate([trip("t3", 41, "ofd", "s2"), trip("t1", 0), trip("t2", 12)]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ destination: "ofd", kind: "outage", tillCount: 3, storeCount: 2 });
    expect(incidents[0]!.trips.map((t) => t.terminalId)).toEqual(["t1", "t2", "t3"]);
    expect(incidents[0]!.startedAt).toEqual(new Date(T0));
    expect(incidents[0]!.lastTripAt).toEqual(new Date(T0 + 41_000));
  });

  it("one till alone is local", () => {
    expect(correlate([trip("t1", 0)])).toMatchObject([{ kind: "local", trips: [{ terminalId: "t1" }] }]);
  });

  it("a till tripping again inside the window counts once (two tills are 'several', not an outage)", () => {
    const [incident] = correlate([trip("t1", 0), trip("t1", 20), trip("t2", 30)]);
    expect(incident).toMatchObject({ kind: "several", tillCount: 2 });
    expect(incident!.trips).toHaveLength(2);
  });

  it("the window is fixed at the incident's first trip: a slow trickle does not chain into an outage", () => {
    const incidents = correlate([trip("t1", 0), trip("t2", 50), trip("t3", 100), trip("t4", 150)]);
    expect(incidents.map((i) => [i.kind, i.trips.length])).toEqual([
      ["several", 2],
      ["several", 2],
    ]);
  });

  it("destinations are never mixed: the central server and the OFD failing together are two incidents", () => {
    const incidents = correlate([
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
    expect(correlate([trip("t1", 0), trip("t2", 30), trip("t3", 60)], rule)[0]!.kind).toBe("outage");
    const late = { ...trip("t3", 60), at: new Date(T0 + 60_001) };
    expect(correlate([trip("t1", 0), trip("t2", 30), late], rule).map((i) => i.kind)).toEqual([
      "local",
      "several",
    ]);
  });

  it("minTills is the threshold, and incidents come newest first", () => {
    const trips = [trip("a", 0), trip("b", 1), trip("c", 600), trip("d", 601), trip("e", 602)];
    expect(correlate(trips, { windowMs: 60_000, minTills: 2 }).map((i) => i.kind)).toEqual([
      "outage",
      "outage",
    ]);
    expect(correlate(trips).map((i) => [i.kind, i.startedAt.getTime() - T0])).toEqual([
      ["outage", 600_000],
      ["several", 0],
    ]);
  });

  it("refuses a rule that cannot tell an outage from a till (minTills below 2)", () => {
    expect(() => correlate([], { windowMs: 60_000, minTills: 1 })).toThrow(RangeError);
    expect(correlate([])).toEqual([]);
  });
});

/**
 * The rule as it reads most plainly (the fleet view's before it was columns): an object per trip
 * and per incident, every incident built. correlateLanes must answer as this does.
 */
function referenceIncidents(trips: readonly Trip[], rule: CorrelationRule) {
  const byDestination = new Map<string, Trip[]>();
  for (const t of trips) {
    const list = byDestination.get(t.destination) ?? [];
    list.push(t);
    byDestination.set(t.destination, list);
  }
  const incidents: { destination: string; startedAt: Date; lastTripAt: Date; tills: Trip[] }[] = [];
  for (const [destination, list] of byDestination) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || compareText(a.terminalId, b.terminalId));
    let i = 0;
    while (i < list.length) {
      const first = list[i]!;
      let j = i + 1;
      while (j < list.length && list[j]!.at.getTime() <= first.at.getTime() + rule.windowMs) j++;
      const seen = new Set<string>();
      const tills = list.slice(i, j).filter((t) => !seen.has(t.terminalId) && seen.add(t.terminalId));
      incidents.push({ destination, startedAt: first.at, lastTripAt: list[j - 1]!.at, tills });
      i = j;
    }
  }
  return incidents.sort(
    (a, b) => b.startedAt.getTime() - a.startedAt.getTime() || compareText(a.destination, b.destination),
  );
}

/** The reference's answer as correlateLanes gives it: counted whole, the newest listed with their first tills. */
function listedOf(
  trips: readonly Trip[],
  rule: CorrelationRule,
  limits: { incidents: number; trips: number },
) {
  const incidents = referenceIncidents(trips, rule);
  const kind = (tills: number) => (tills >= rule.minTills ? "outage" : tills === 1 ? "local" : "several");
  return {
    count: incidents.length,
    summary: {
      outages: incidents.filter((i) => kind(i.tills.length) === "outage").length,
      several: incidents.filter((i) => kind(i.tills.length) === "several").length,
      local: incidents.filter((i) => kind(i.tills.length) === "local").length,
      tillsTripped: new Set(trips.map((t) => t.terminalId)).size,
    },
    listed: incidents.slice(0, limits.incidents).map((i) => ({
      destination: i.destination,
      kind: kind(i.tills.length),
      startedAt: i.startedAt,
      lastTripAt: i.lastTripAt,
      tillCount: i.tills.length,
      storeCount: new Set(i.tills.map((t) => t.storeId)).size,
      trips: i.tills.slice(0, limits.trips),
    })),
  };
}

describe("correlateLanes (the rule as the fleet view lists it)", () => {
  it("answers as the plain rule does for random fleets: counts, order, first tills", () => {
    // A fixed pseudo-random sequence: the same cases every run.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let run = 0; run < 60; run++) {
      const tills = 1 + Math.floor(random() * 12);
      const trips: Trip[] = [];
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

  it("orders as the plain rule does when two till ids compare equal, and over a span too long to pack", () => {
    // compareText finds these two ids equal (the same letter, composed and decomposed): the trips'
    // order falls back to the order they came in, as a stable sort keeps it.
    const equalIds = [
      trip("a\u0301", 0, "ofd"),
      trip("x", 0, "central"),
      trip("\u00e1", 0, "ofd"),
      trip("a\u0301", 5, "central"),
      trip("\u00e1", 5, "central"),
    ];
    // Times ~285,000 years apart: time × tills no longer fits a double exactly.
    const far = (terminalId: string, ms: number): Trip => ({
      terminalId,
      storeId: "s1",
      destination: "ofd",
      at: new Date(ms),
    });
    const span = [far("t2", 8e15), far("t1", 8e15), far("t1", -8e15), far("t3", -8e15 + 1)];
    const rule = { windowMs: 60_000, minTills: 2 };
    const limits = { incidents: 10, trips: 10 };
    for (const trips of [equalIds, [...equalIds].reverse(), span]) {
      expect(correlateLanes(lanesOf(trips), rule, limits)).toEqual(listedOf(trips, rule, limits));
    }
    expect(
      correlateLanes(lanesOf(equalIds), rule, limits).listed.map((i) => i.trips.map((t) => t.terminalId)),
    ).toEqual([
      ["x", "a\u0301", "\u00e1"],
      ["a\u0301", "\u00e1"],
    ]);
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
