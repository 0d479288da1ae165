import { describe, expect, it } from "vitest";
import { compareText } from "../compare-text.ts";
import type { ScopedTerminal } from "../scoped-terminals.ts";
import { rankTills } from "./get-fleet.ts";
import { ZGetBreakerFleetOutput } from "./get-fleet.types.ts";

const till = (id: string, store: string, name: string): ScopedTerminal => ({
  organizationId: "o1",
  id,
  name,
  storeId: `s-${store}`,
  store: { name: store, timezone: "Europe/Moscow" },
});

describe("rankTills (the fleet view's lane order)", () => {
  it("orders by store name, then till name, as compareText does; equal names share a place", () => {
    const tills = [
      till("t1", "b Arbat", "Till 2"),
      till("t2", "A Tverskaya", "till 10"),
      till("t3", "A Tverskaya", "Till 9"),
      till("t4", "b Arbat", "Till 1"),
      till("t5", "b Arbat", "Till 1"),
      till("t6", "Ä Store", "Till 1"),
    ];
    const ranks = rankTills(tills);
    const byRank = [...tills].sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)!);
    // The order of sorting them whole by (store, name) with compareText, stable for equal ones.
    const expected = [...tills].sort(
      (a, b) => compareText(a.store.name, b.store.name) || compareText(a.name, b.name),
    );
    expect(byRank.map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(ranks.get("t4")).toBe(ranks.get("t5"));
    expect(new Set(ranks.values()).size).toBe(5);
  });
});

describe("the fleet view's answer schema", () => {
  const answer = (lane: { states: unknown; starts: unknown }) => ({
    from: new Date(0),
    to: new Date(3_600_000),
    rule: { windowMs: 60_000, minTills: 3 },
    incidents: [],
    incidentCount: 0,
    lanes: [
      {
        terminalId: "t1",
        terminalName: "Till 1",
        storeId: "s1",
        storeName: "A",
        destination: "ofd",
        more: 0,
        cutAt: null,
        ...lane,
      },
    ],
    summary: { outages: 0, several: 0, local: 0, tillsTripped: 0 },
    truncated: false,
  });

  it("checks each lane's states and starts as z.array would, keeping the arrays it was given", () => {
    const states = ["closed", "open", "half_open"];
    const starts = [0, 10, 20];
    const parsed = ZGetBreakerFleetOutput.parse(answer({ states, starts }));
    expect(parsed.lanes[0]!.states).toBe(states);
    expect(parsed.lanes[0]!.starts).toBe(starts);
    for (const lane of [
      { states: ["closed", "isolated"], starts: [0, 1] },
      { states: "closed", starts: [0] },
      { states: ["closed"], starts: [-1] },
      { states: ["closed"], starts: [1.5] },
      { states: ["closed"], starts: ["0"] },
      { states: ["closed"], starts: [2 ** 53] },
    ]) {
      expect(ZGetBreakerFleetOutput.safeParse(answer(lane)).success).toBe(false);
    }
  });
});
