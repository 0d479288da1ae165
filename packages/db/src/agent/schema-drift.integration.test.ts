import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectedSchema, loadDmmf, schemaPaths } from "../drift/expected-schema.ts";
import { isStandalone, sampleRow } from "../drift/sample-row.ts";
import { readSqliteSchema } from "../drift/sqlite-schema.ts";
import { createAgentPrismaClient } from "./create-agent-prisma-client.ts";
import { openAgentDatabase } from "./open-agent-database.ts";

// The agent's migrations are hand-written SQL; this proves they build what schema.prisma describes
// (the hot path's prepared statements and Prisma's cold paths read the same tables).
const dmmf = loadDmmf(schemaPaths.agent);
const dir = mkdtempSync(join(tmpdir(), "kassa-agent-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Delegate = {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findMany(): Promise<Record<string, unknown>[]>;
};

describe("agent schema drift", () => {
  it("the migrated SQLite file has exactly the tables, columns, keys and indexes of schema.prisma", async () => {
    const db = await openAgentDatabase(join(dir, "shape.db"));
    expect(readSqliteSchema(db)).toEqual(expectedSchema(dmmf, "sqlite"));
    db.close();
  });

  it("the generated client matches schema.prisma, and every model round-trips a full row through Prisma", async () => {
    const file = join(dir, "roundtrip.db");
    (await openAgentDatabase(file)).close();
    const prisma = createAgentPrismaClient(file);
    const runtime = (
      prisma as unknown as { _runtimeDataModel: { models: Record<string, { fields: { name: string }[] }> } }
    )._runtimeDataModel;
    expect(
      Object.fromEntries(
        Object.entries(runtime.models).map(([name, m]) => [name, m.fields.map((f) => f.name)]),
      ),
      "stale client: run `npm run generate -w @kassa/db`",
    ).toEqual(Object.fromEntries(dmmf.datamodel.models.map((m) => [m.name, m.fields.map((f) => f.name)])));

    for (const [n, model] of dmmf.datamodel.models.entries()) {
      expect(isStandalone(model), `${model.name} has a foreign key: seed its parent first`).toBe(true);
      const delegate = (prisma as unknown as Record<string, Delegate>)[
        model.name[0]!.toLowerCase() + model.name.slice(1)
      ]!;
      const data = sampleRow(model, dmmf, n);
      const created = await delegate.create({ data });
      expect(created, model.name).toMatchObject(data);
      expect(await delegate.findMany(), model.name).toEqual([created]);
    }
    await prisma.$disconnect();
  });
});
