import { describe, expect, it } from "vitest";
import { compareText } from "../compare-text.ts";
import { rankTills } from "./get-fleet.ts";
import type { ScopedTerminal } from "./queries.ts";

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
