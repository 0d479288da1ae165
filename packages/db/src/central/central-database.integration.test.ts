import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbErrorCode } from "../errors.ts";
import { seedTerminal } from "../seed/index.ts";
import { createTestCentralDatabase } from "../testing/create-test-central-database.ts";
import { emptyPglite } from "../testing/pglite-template.ts";
import { type CentralDatabase, createCentralDatabase } from "./create-central-database.ts";

let db: CentralDatabase;
beforeAll(async () => {
  db = await createTestCentralDatabase();
}, 60_000);
afterAll(() => db?.close());

describe(`central database (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("Prisma and raw SQL see the same data", async () => {
    const { terminal } = await seedTerminal(db.prisma);
    const rows = await db.sql.query<{ id: string; name: string }>(
      "SELECT id, name FROM terminals WHERE organization_id = $1",
      [terminal.organizationId],
    );
    expect(rows).toEqual([{ id: terminal.id, name: terminal.name }]);
    await db.sql.query("UPDATE terminals SET clock_skew_ms = $1 WHERE id = $2", [-1500, terminal.id]);
    expect((await db.prisma.terminal.findUnique({ where: { id: terminal.id } }))?.clockSkewMs).toBe(-1500);
  });

  it("raw SQL returns int8 as bigint (small and large alike), jsonb as objects, timestamptz as Date", async () => {
    const [row] = await db.sql.query<Record<string, unknown>>(
      "SELECT 1::int8 AS small, 9007199254740993::int8 AS large, '{\"a\":[1]}'::jsonb AS doc, now() AS at",
    );
    expect(row).toEqual({ small: 1n, large: 9_007_199_254_740_993n, doc: { a: [1] }, at: expect.any(Date) });
  });

  it("a raw transaction commits together or rolls back together", async () => {
    const { terminal } = await seedTerminal(db.prisma);
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query("UPDATE terminals SET name = 'renamed' WHERE id = $1", [terminal.id]);
        await tx.query("SELECT * FROM no_such_table");
      }),
    ).rejects.toThrow(/no_such_table/);
    expect((await db.prisma.terminal.findUnique({ where: { id: terminal.id } }))?.name).toBe(terminal.name);
    await db.sql.transaction((tx) =>
      tx.query("UPDATE terminals SET name = 'renamed' WHERE id = $1", [terminal.id]),
    );
    expect((await db.prisma.terminal.findUnique({ where: { id: terminal.id } }))?.name).toBe("renamed");
  });
});

describe("createCentralDatabase settings", () => {
  it("rejects a URL that is not PostgreSQL with a typed error", async () => {
    await expect(
      createCentralDatabase({ url: "mysql://x@localhost/db", shared: false }),
    ).rejects.toMatchObject({
      code: DbErrorCode.INVALID_DATABASE_CONFIG,
      message: expect.stringMatching(/must start with postgresql:\/\//),
    });
  });

  it("reports an unreachable server with what to do, without the password", async () => {
    const error = await createCentralDatabase({
      url: "postgresql://kassa:s3cret@127.0.0.1:1/kassa",
      shared: false,
      log: () => {},
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    if (!error) throw new Error("expected createCentralDatabase to fail");
    expect(error.code).toBe(DbErrorCode.DATABASE_UNREACHABLE);
    expect(error.message).toMatch(/127\.0\.0\.1:1\/kassa .*unset DATABASE_URL/);
    expect(error.message).not.toContain("s3cret");
  });

  it("shares one database per data directory in a process, persists it, and opens it again after close", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kassa-central-shared-"));
    try {
      // Start from a data directory just after initdb (restored from a template: initdb itself takes
      // seconds; `npm run bench -w @kassa/db` measures it), so this exercises open + migrate + persist.
      const empty = await emptyPglite();
      const blank = await PGlite.create({ dataDir, loadDataDir: await empty.dumpDataDir("none") });
      await Promise.all([blank.close(), empty.close()]);

      const lines: string[] = [];
      const [a, b] = await Promise.all([
        createCentralDatabase({ dataDir, log: (line) => lines.push(line) }),
        createCentralDatabase({ dataDir, log: (line) => lines.push(line) }),
      ]);
      expect(a).toBe(b);
      expect(a.kind).toBe("pglite");
      expect(lines.filter((line) => line.startsWith("applied 20261122080000_init"))).toHaveLength(1);
      await seedTerminal(a.prisma, { name: "Persisted till" });
      await a.close();

      const reopenStarted = performance.now();
      const c = await createCentralDatabase({ dataDir, log: (line) => lines.push(line) });
      console.info(
        `PGlite existing data dir reopened in ${Math.round(performance.now() - reopenStarted)} ms`,
      );
      expect(c).not.toBe(a);
      expect(lines.at(-1)).toMatch(/^database is up to date/);
      expect((await c.prisma.terminal.findMany()).map((t) => t.name)).toEqual(["Persisted till"]);
      await c.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
