import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cashiersForTerminal, upsertCashier } from "./cashiers.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

let db: CentralDatabase;
let dispose: () => Promise<void>;
let terminal: SeededTerminal;
const now = new Date("2026-11-22T08:00:00Z");

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  [terminal] = (await seedFleet(db, { stores: 1, perStore: 1 })) as [SeededTerminal];
}, 60_000);
afterAll(async () => dispose?.());

describe("upsertCashier", () => {
  const base = () => ({
    organizationId: terminal.organizationId,
    id: "c-1",
    login: "ivanova",
    name: "Ivanova A.",
  });

  it("refuses a new cashier without a PIN, or with a bad one, and stores nothing", async () => {
    await expect(upsertCashier(db.sql, base(), now)).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
      fieldErrors: { pin: ["required for a new cashier"] },
    });
    await expect(upsertCashier(db.sql, { ...base(), pin: "12a4" }, now)).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
    });
    expect((await cashiersForTerminal(db.sql, terminal, null)).cashiers).toEqual([]);
  });

  it("creates a cashier with a PIN, then changes the name and keeps the PIN when none is given", async () => {
    await upsertCashier(db.sql, { ...base(), pin: "1234" }, now);
    const created = (await cashiersForTerminal(db.sql, terminal, null)).cashiers!;
    expect(created).toHaveLength(1);
    await upsertCashier(db.sql, { ...base(), name: "Ivanova A. V." }, new Date(now.getTime() + 1000));
    const changed = (await cashiersForTerminal(db.sql, terminal, null)).cashiers!;
    expect(changed).toEqual([{ ...created[0], name: "Ivanova A. V." }]);
  });
});
