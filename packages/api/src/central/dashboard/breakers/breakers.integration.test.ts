import type { CentralDatabase } from "@kassa/db/central";
import { seedBreakerTransition, seedOrganization, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardCaller } from "../cash/test-caller.ts";
import { MAX_FLEET_INCIDENTS, MAX_INCIDENT_TRIPS } from "./get-fleet.ts";

const NOW = new Date("2026-11-24T12:00:00Z");
const at = (hhmmss: string) => new Date(`2026-11-24T${hhmmss}Z`);
const WINDOW = { from: at("08:00:00"), to: at("12:00:00") };

let db: CentralDatabase;
const t = {} as Record<"a1" | "a2" | "b1" | "other", { organizationId: string; storeId: string; id: string }>;
const users = {} as Record<"support" | "managerA" | "ownerOther", string>;
const call = (user: keyof typeof users) => dashboardCaller(db, users[user], NOW);

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  const org = await seedOrganization(p, { name: "Optika" });
  const storeA = await seedStore(p, { organizationId: org.id, name: "A Tverskaya" });
  const storeB = await seedStore(p, { organizationId: org.id, name: "B Arbat" });
  t.a1 = (await seedTerminal(p, { organizationId: org.id, storeId: storeA.id, name: "A till 1" })).terminal;
  t.a2 = (await seedTerminal(p, { organizationId: org.id, storeId: storeA.id, name: "A till 2" })).terminal;
  t.b1 = (await seedTerminal(p, { organizationId: org.id, storeId: storeB.id, name: "B till 1" })).terminal;
  const other = await seedOrganization(p, { name: "Jewels" });
  t.other = (await seedTerminal(p, { organizationId: other.id, name: "Other till" })).terminal;

  // An OFD outage: three tills (two stores) trip within 40 s at 09:00, recover by 09:20.
  for (const [till, s] of [
    [t.a1, "00"],
    [t.a2, "15"],
    [t.b1, "40"],
  ] as const) {
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at: at(`09:00:${s}`),
      from: "closed",
      to: "open",
      cause: "5 consecutive failures; last: OFD answered HTTP 503",
    });
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at: at(`09:10:${s}`),
      from: "open",
      to: "half_open",
    });
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at: at(`09:20:${s}`),
      from: "half_open",
      to: "closed",
    });
  }
  // One till alone loses the central server at 10:30 (its network), still open at the end.
  await seedBreakerTransition(p, {
    terminal: t.b1,
    destination: "central",
    at: at("10:30:00"),
    from: "closed",
    to: "open",
    cause: "5 consecutive failures; last: connect ETIMEDOUT",
  });
  // Before the window: a1's central breaker was open since 07:00 and closes at 08:30.
  await seedBreakerTransition(p, {
    terminal: t.a1,
    destination: "central",
    at: at("07:00:00"),
    from: "closed",
    to: "open",
  });
  await seedBreakerTransition(p, {
    terminal: t.a1,
    destination: "central",
    at: at("08:30:00"),
    from: "open",
    to: "closed",
  });
  // Another organization's till trips at the same moment: never part of this fleet's incidents.
  await seedBreakerTransition(p, {
    terminal: t.other,
    destination: "ofd",
    at: at("09:00:05"),
    from: "closed",
    to: "open",
  });

  users.support = (await seedUser(p, { organizationId: org.id, role: "support" })).user.id;
  users.managerA = (
    await seedUser(p, { organizationId: org.id, role: "manager", storeIds: [storeA.id] })
  ).user.id;
  users.ownerOther = (await seedUser(p, { organizationId: other.id, role: "owner" })).user.id;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe("breaker timeline", () => {
  it("cuts the window into closed / open / half-open with the failures that tripped it", async () => {
    const view = await call("support").breakers.timeline({ terminalId: t.a1.id, ...WINDOW });
    expect(view.terminal).toMatchObject({ id: t.a1.id, name: "A till 1", storeName: "A Tverskaya" });
    const ofd = view.destinations.find((d) => d.destination === "ofd")!;
    expect(
      ofd.segments.map((s) => [
        s.state,
        s.from.toISOString().slice(11, 19),
        s.to.toISOString().slice(11, 19),
      ]),
    ).toEqual([
      ["closed", "08:00:00", "09:00:00"],
      ["open", "09:00:00", "09:10:00"],
      ["half_open", "09:10:00", "09:20:00"],
      ["closed", "09:20:00", "12:00:00"],
    ]);
    expect(ofd.segments[1]).toMatchObject({
      cause: "5 consecutive failures; last: OFD answered HTTP 503",
      failures: 5,
    });
    expect(ofd).toMatchObject({ trips: 1, notClosedMs: 20 * 60_000, stateAtStart: "closed" });
    expect(ofd.transitions).toHaveLength(3);
  });

  it("starts from the state reported before the window", async () => {
    const view = await call("support").breakers.timeline({
      terminalId: t.a1.id,
      destination: "central",
      ...WINDOW,
    });
    expect(view.destinations).toHaveLength(1);
    expect(view.destinations[0]).toMatchObject({ stateAtStart: "open", trips: 0, notClosedMs: 30 * 60_000 });
    expect(view.destinations[0]!.segments.map((s) => s.state)).toEqual(["open", "closed"]);
  });

  it("another organization's till is NOT_FOUND; a bad window is BAD_REQUEST", async () => {
    await expect(
      call("support").breakers.timeline({ terminalId: t.other.id, ...WINDOW }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      call("support").breakers.timeline({ terminalId: t.a1.id, from: WINDOW.to, to: WINDOW.from }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      call("support").breakers.timeline({ terminalId: t.a1.id, from: new Date("2026-01-01"), to: WINDOW.to }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("breaker fleet view", () => {
  it("three tills' OFD breakers opening within a minute are an outage; one till alone is local", async () => {
    const view = await call("support").breakers.fleet(WINDOW);
    expect(view.incidents.map((i) => [i.destination, i.kind, i.trips.length])).toEqual([
      ["central", "local", 1],
      ["ofd", "outage", 3],
    ]);
    const outage = view.incidents[1]!;
    expect(outage.trips.map((x) => x.terminalName)).toEqual(["A till 1", "A till 2", "B till 1"]);
    expect(outage).toMatchObject({ startedAt: at("09:00:00"), lastTripAt: at("09:00:40"), storeCount: 2 });
    expect(view.incidents[0]!.trips[0]).toMatchObject({
      terminalName: "B till 1",
      cause: expect.stringMatching(/ETIMEDOUT/),
    });
    expect(view.summary).toEqual({ outages: 1, several: 0, local: 1, tillsTripped: 3 });
    // Lanes line every not-always-closed till and destination up on the same window.
    expect(view.lanes.map((l) => `${l.terminalName}/${l.destination}`)).toEqual([
      "A till 1/central",
      "A till 1/ofd",
      "A till 2/ofd",
      "B till 1/central",
      "B till 1/ofd",
    ]);
    // Compact: each segment's state and start (ms after `from`); the last runs to the window's end.
    const bCentral = view.lanes.find((l) => l.terminalName === "B till 1" && l.destination === "central")!;
    expect(bCentral.states.at(-1)).toBe("open");
    expect(bCentral).toMatchObject({ more: 0, cutAt: null });
    expect(bCentral.starts[0]).toBe(0);
    expect(bCentral.starts).toHaveLength(bCentral.states.length);
  });

  it("the correlation window and threshold are the caller's to narrow", async () => {
    const tight = await call("support").breakers.fleet({ ...WINDOW, destination: "ofd", windowSeconds: 20 });
    expect(tight.incidents.map((i) => [i.kind, i.trips.length])).toEqual([
      ["local", 1],
      ["several", 2],
    ]);
    expect(tight.rule).toEqual({ windowMs: 20_000, minTills: 3 });
  });

  it("a store-scoped manager sees only their store's tills (two tills: not enough to call it an outage)", async () => {
    const view = await call("managerA").breakers.fleet(WINDOW);
    expect(view.incidents.map((i) => [i.destination, i.kind, i.trips.length])).toEqual([
      ["ofd", "several", 2],
    ]);
    expect(new Set(view.lanes.map((l) => l.terminalName))).toEqual(new Set(["A till 1", "A till 2"]));
  });

  it("another organization sees only its own till", async () => {
    const view = await call("ownerOther").breakers.fleet(WINDOW);
    expect(view.incidents).toMatchObject([{ kind: "local", trips: [{ terminalId: t.other.id }] }]);
  });
});

describe("breaker fleet view of a busy chain", () => {
  // Its own organization: 25 tills whose OFD breakers all trip at 09:00 (one outage), and one till
  // whose central breaker trips alone 205 times, 61 s apart (205 local incidents).
  let manyCall: ReturnType<typeof dashboardCaller>;
  beforeAll(async () => {
    const p = db.prisma;
    const org = await seedOrganization(p, { name: "Busy chain" });
    const store = await seedStore(p, { organizationId: org.id, name: "Busy store" });
    const tills: { organizationId: string; storeId: string; id: string }[] = [];
    for (let n = 1; n <= 25; n++) {
      tills.push(
        (await seedTerminal(p, { organizationId: org.id, storeId: store.id, name: `Till ${n}` })).terminal,
      );
    }
    const trip = { fromState: "closed", toState: "open", cause: "5 consecutive failures", failures: 5 };
    await p.breakerTransition.createMany({
      data: [
        ...tills.map((till, n) => ({
          ...trip,
          organizationId: org.id,
          terminalId: till.id,
          id: `ofd-${n}`,
          destination: "ofd",
          at: new Date(at("09:00:00").getTime() + n * 1000),
        })),
        ...Array.from({ length: 205 }, (_, n) => ({
          ...trip,
          organizationId: org.id,
          terminalId: tills[0]!.id,
          id: `central-${String(n).padStart(3, "0")}`,
          destination: "central",
          at: new Date(WINDOW.from.getTime() + n * 61_000),
        })),
      ],
    });
    const owner = await seedUser(p, { organizationId: org.id, role: "owner" });
    manyCall = dashboardCaller(db, owner.user.id, NOW);
  });

  it("lists the newest incidents and the first tills of an outage, and still counts them all", async () => {
    const view = await manyCall.breakers.fleet(WINDOW);
    expect(view.incidentCount).toBe(206);
    expect(view.incidents).toHaveLength(MAX_FLEET_INCIDENTS);
    // Newest first: the last local trip (08:00 + 204 × 61 s) leads; the six oldest are cut.
    expect(view.incidents[0]!.startedAt).toEqual(at("11:27:24"));
    expect(view.incidents.at(-1)!.startedAt).toEqual(new Date(WINDOW.from.getTime() + 6 * 61_000));
    const outage = view.incidents.find((i) => i.kind === "outage")!;
    expect(outage.tillCount).toBe(25);
    expect(outage.trips.map((x) => x.terminalName)).toEqual(
      Array.from({ length: MAX_INCIDENT_TRIPS }, (_, n) => `Till ${n + 1}`),
    );
    expect(view.summary).toEqual({ outages: 1, several: 0, local: 205, tillsTripped: 25 });
  });
});
