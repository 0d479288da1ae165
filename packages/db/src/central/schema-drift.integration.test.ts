import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedSchema, loadDmmf, schemaPaths } from "../drift/expected-schema.ts";
import { readPostgresSchema } from "../drift/postgres-schema.ts";
import { isStandalone, sampleRow } from "../drift/sample-row.ts";
import { seedReceipt, seedUser } from "../seed/index.ts";
import { createTestCentralDatabase } from "../testing/create-test-central-database.ts";
import type { CentralDatabase } from "./create-central-database.ts";

// The migrations are written by hand (or by `npm run db:diff`); this proves they build exactly the
// database schema.prisma describes, and that the generated client agrees with both.
const dmmf = loadDmmf(schemaPaths.central);
let db: CentralDatabase;
beforeAll(async () => {
  db = await createTestCentralDatabase();
}, 60_000);
afterAll(() => db?.close());

type Delegate = {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findMany(args?: object): Promise<Record<string, unknown>[]>;
  count(): Promise<number>;
};
const delegate = (name: string) =>
  (db.prisma as unknown as Record<string, Delegate>)[name[0]!.toLowerCase() + name.slice(1)]!;

describe("central schema drift", () => {
  it("the migrated database has exactly the tables, columns, keys, indexes, foreign keys and enums of schema.prisma", async () => {
    const actual = await readPostgresSchema((sql) => db.sql.query(sql));
    expect(actual).toEqual(expectedSchema(dmmf, "postgresql"));
  });

  it("the generated client was generated from the current schema.prisma", () => {
    const runtime = (db.prisma as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
    const fromClient = Object.entries(runtime.models).map(([name, model]) => ({
      name,
      table: model.dbName,
      fields: model.fields.map((f) => `${f.name}:${f.dbName ?? f.name}:${f.kind}:${f.type}`),
    }));
    const fromSchema = dmmf.datamodel.models.map((model) => ({
      name: model.name,
      table: model.dbName,
      fields: model.fields.map((f) => `${f.name}:${f.dbName ?? f.name}:${f.kind}:${f.type}`),
    }));
    expect(fromClient, "stale client: run `npm run generate -w @kassa/db`").toEqual(fromSchema);
  });

  it("every model round-trips a row with every column set through Prisma", async () => {
    // Models with parents are written by the seed factories; the others from a generated sample.
    await seedReceipt(db.prisma, {
      fiscal: {
        fdNumber: 7,
        fiscalSign: "1234567890",
        fnNumber: "9999078900001234",
        shiftNumber: 3,
        fiscalizedAt: new Date(),
      },
      cashierInn: "770123456789",
    });
    const { user } = await seedUser(db.prisma, { role: "support", storeIds: ["s1", "s2"] });
    // A session row (better-auth writes them at sign-in) with every column set.
    const session = {
      id: "drift-session",
      token: "drift-session-token",
      userId: user.id,
      expiresAt: new Date(Date.now() + 3_600_000),
      ipAddress: "192.0.2.1",
      userAgent: "drift check",
    };
    expect(await db.prisma.session.create({ data: session })).toMatchObject(session);
    for (const [n, model] of dmmf.datamodel.models.entries()) {
      if (!isStandalone(model) || model.name === "Organization" || model.name === "User") continue;
      const data = sampleRow(model, dmmf, n);
      const created = await delegate(model.name).create({ data });
      expect(created, model.name).toMatchObject(data);
      expect(await delegate(model.name).findMany(), model.name).toContainEqual(created);
    }
    for (const model of dmmf.datamodel.models) {
      const rows = await delegate(model.name).findMany();
      expect(rows.length, `${model.name} has a row`).toBeGreaterThan(0);
    }
    // One Prisma round trip per model and column set: seconds on PGlite when the machine is busy.
  }, 30_000);
});

interface RuntimeDataModel {
  models: Record<
    string,
    { dbName: string | null; fields: { name: string; dbName?: string; kind: string; type: string }[] }
  >;
}
