import { describe, expect, it } from "vitest";
import { type BreakerTrip, correlateTrips } from "./correlation.ts";

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
