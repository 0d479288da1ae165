import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralClient } from "../client.ts";
import { cashiersForTerminal, upsertCashier } from "./cashiers.ts";
import { startStandaloneCentral } from "./standalone-server.ts";
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

  it("stores the name as the register prints it, and refuses one it cannot print", async () => {
    await upsertCashier(db.sql, { ...base(), name: " Иванова «Старшая» ", pin: "1234" }, now);
    const [stored] = (await cashiersForTerminal(db.sql, terminal, null)).cashiers!;
    expect(stored?.name).toBe('Иванова "Старшая"');
    for (const name of ["Иванова 🙂", "Ivanova\u0000", "x".repeat(65)]) {
      await expect(
        upsertCashier(db.sql, { ...base(), id: "c-2", name, pin: "1234" }, now),
      ).rejects.toMatchObject({
        kassaCode: "VALIDATION_FAILED",
        fieldErrors: { name: [expect.any(String)] },
      });
    }
    // The INN is printed too (tag 1203), and central ingest refuses a receipt with a malformed one.
    await expect(
      upsertCashier(db.sql, { ...base(), id: "c-2", inn: "12345", pin: "1234" }, now),
    ).rejects.toMatchObject({ kassaCode: "VALIDATION_FAILED", fieldErrors: { inn: [expect.any(String)] } });
    expect((await cashiersForTerminal(db.sql, terminal, null)).cashiers).toHaveLength(1);
  });
});

describe("ingest.cashiers with two stores in one organization", () => {
  it("gives each till the PIN hashes of its own store's cashiers and the organization-wide ones only", async () => {
    const [tillA, tillB] = (await seedFleet(db, { stores: 2, perStore: 1 })) as [
      SeededTerminal,
      SeededTerminal,
    ];
    const org = tillA.organizationId;
    await upsertCashier(
      db.sql,
      { organizationId: org, id: "a", login: "a", name: "A", pin: "1111", storeIds: [tillA.storeId] },
      now,
    );
    await upsertCashier(
      db.sql,
      { organizationId: org, id: "b", login: "b", name: "B", pin: "2222", storeIds: [tillB.storeId] },
      now,
    );
    await upsertCashier(
      db.sql,
      { organizationId: org, id: "all", login: "all", name: "All", pin: "3333" },
      now,
    );
    const server = await startStandaloneCentral({ db });
    try {
      const pull = async (till: SeededTerminal) =>
        (
          await createCentralClient({ url: server.url, terminalKey: till.key }).ingest.cashiers.query({
            since: null,
          })
        ).cashiers!;
      const [a, b] = [await pull(tillA), await pull(tillB)];
      expect(a.map((c) => c.id)).toEqual(["a", "all"]);
      expect(b.map((c) => c.id)).toEqual(["all", "b"]);
      const hashOf = (list: typeof a, id: string) => list.find((c) => c.id === id)?.pinHash;
      expect(a.map((c) => c.pinHash)).not.toContain(hashOf(b, "b"));
      expect(b.map((c) => c.pinHash)).not.toContain(hashOf(a, "a"));
    } finally {
      await server.close();
    }
  });

  it("refuses a cashier assigned to a store that is not the organization's, and stores nothing", async () => {
    const [till] = (await seedFleet(db, { stores: 1, perStore: 1 })) as [SeededTerminal];
    await expect(
      upsertCashier(
        db.sql,
        {
          organizationId: till.organizationId,
          id: "x",
          login: "x",
          name: "X",
          pin: "1234",
          storeIds: [terminal.storeId],
        },
        now,
      ),
    ).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
      fieldErrors: { storeIds: [`no store ${terminal.storeId} in this organization`] },
    });
    expect((await cashiersForTerminal(db.sql, till, null)).cashiers).toEqual([]);
  });
});
