import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdmissionControl } from "./admission.ts";
import { pgStoreSlots, type StoreKey } from "./admission-slots.ts";
import { openThrowawayCentral } from "./test-central.ts";

// The shared per-store slots on the real table: PostgreSQL with TEST_DATABASE_URL, else PGlite.
let db: CentralDatabase;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
}, 60_000);
afterAll(() => dispose?.());

let stores = 0;
const freshStore = (): StoreKey => ({ organizationId: "org-slots", storeId: `s${stores++}` });

async function heldBy(store: StoreKey): Promise<string[]> {
  const rows = await db.sql.query<{ holder: string }>(
    "SELECT holder FROM ingest_admission_slots WHERE organization_id = $1 AND store_id = $2 AND expires_at > clock_timestamp() ORDER BY holder",
    [store.organizationId, store.storeId],
  );
  return rows.map((r) => r.holder);
}

describe("pgStoreSlots", () => {
  it("gives out at most `limit` slots of a store, frees a holder's own, and keeps stores apart", async () => {
    const slots = pgStoreSlots(db.sql);
    const store = freshStore();
    expect(await slots.take(store, 2, "h1", 30_000)).toBe("taken");
    expect(await slots.take(store, 2, "h2", 30_000)).toBe("taken");
    expect(await slots.take(store, 2, "h3", 30_000)).toBe("full");
    expect(await slots.take(freshStore(), 2, "h3", 30_000)).toBe("taken");
    await slots.release(store, "h1");
    expect(await heldBy(store)).toEqual(["h2"]);
    expect(await slots.take(store, 2, "h3", 30_000)).toBe("taken");
    expect(await heldBy(store)).toEqual(["h2", "h3"]);
  });

  it("hands out a crashed instance's slot once it expired, and its late release frees nothing", async () => {
    const slots = pgStoreSlots(db.sql);
    const store = freshStore();
    // An instance died holding the store's only slot; its expiry has passed.
    await db.sql.query(
      "INSERT INTO ingest_admission_slots (organization_id, store_id, slot, holder, expires_at) VALUES ($1, $2, 0, 'dead', clock_timestamp() - interval '1 second')",
      [store.organizationId, store.storeId],
    );
    expect(await slots.take(store, 1, "alive", 30_000)).toBe("taken");
    await slots.release(store, "dead");
    expect(await heldBy(store)).toEqual(["alive"]);
    expect(await slots.take(store, 1, "other", 30_000)).toBe("full");
  });

  it("renewal pushes the expiry out (by the database's clock)", async () => {
    const slots = pgStoreSlots(db.sql);
    const store = freshStore();
    await slots.take(store, 1, "long", 1_000);
    await slots.renew(store, "long", 600_000);
    const [row] = await db.sql.query<{ left_s: number }>(
      "SELECT extract(epoch FROM expires_at - clock_timestamp())::float8 AS left_s FROM ingest_admission_slots WHERE organization_id = $1 AND store_id = $2",
      [store.organizationId, store.storeId],
    );
    expect(row!.left_s).toBeGreaterThan(500);
  });

  it("30 pushes racing for a store of 3 slots, on two admission controls (two instances): exactly 3 admitted", async () => {
    const slots = pgStoreSlots(db.sql);
    const store = freshStore();
    const instances = [0, 1].map(() => new AdmissionControl({ perStore: 3, total: 100, maxWaitMs: 0 }));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => instances[i % 2]!.admit(store, slots)),
    );
    const admitted = outcomes.filter((o) => o.status === "fulfilled");
    expect(admitted).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => o.reason.kassaCode)).toEqual(
      Array(27).fill("RETRY_LATER"),
    );
    expect(await heldBy(store)).toHaveLength(3);
    for (const o of admitted) await (o as PromiseFulfilledResult<() => Promise<void>>).value();
    expect(await heldBy(store)).toEqual([]);
    expect(instances.map((i) => i.active)).toEqual([0, 0]);
  });
});
