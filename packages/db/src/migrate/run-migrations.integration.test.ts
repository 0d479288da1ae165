import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbErrorCode, MigrationError } from "../errors.ts";
import { readMigrationFiles } from "./migration-files.ts";
import { agentMigrationsDir, centralMigrationsDir } from "./paths.ts";
import { MIGRATIONS_TABLE, runMigrations } from "./run-migrations.ts";
import { allTargets, type Target } from "./test-targets.ts";

const scratch = mkdtempSync(join(tmpdir(), "kassa-migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folderCounter = 0;
/** A migrations folder holding the given migrations (name → SQL). */
function folder(migrations: Record<string, string>): string {
  const dir = join(scratch, `m${folderCounter++}`);
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

const FIRST = {
  "20260101000000_first": `CREATE TABLE "things" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT);`,
};
const SECOND = { "20260102000000_second": `ALTER TABLE "things" ADD COLUMN "weight" INTEGER;` };

async function tableNames(target: Target, dialect: string): Promise<string[]> {
  const rows = await target.query<{ name: string }>(
    dialect === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
  );
  return rows.map((row) => row.name);
}

async function caught(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

describe.each(allTargets())("migration runner on $name", (kind) => {
  beforeAll(() => kind.setup(), 30_000);
  afterAll(() => kind.teardown());

  it("applies the real schema's migrations, and a second run is a no-op", async () => {
    const target = await kind.fresh();
    const dialect = target.backend.dialect;
    const dir = dialect === "sqlite" ? agentMigrationsDir : centralMigrationsDir;
    const lines: string[] = [];
    const first = await runMigrations({ backend: target.backend, dir, log: (line) => lines.push(line) });
    expect(first.applied).toEqual(readMigrationFiles(dir).map((file) => file.name));
    expect(first.applied[0]).toBe("20261122080000_init");
    expect(lines).toHaveLength(first.applied.length);
    for (const line of lines) expect(line).toMatch(/^applied \d{14}_\w+ in \d+ ms$/);
    console.info(`[${kind.name}] ${lines.join("; ")}`);

    const tablesAfterFirst = await tableNames(target, dialect);
    expect(tablesAfterFirst).toContain("receipts");
    const rowsAfterFirst = await target.query(`SELECT * FROM "${MIGRATIONS_TABLE}"`);

    const second = await runMigrations({ backend: target.backend, dir, log: (line) => lines.push(line) });
    expect(second).toEqual({ applied: [], total: first.total });
    expect(lines.at(-1)).toBe(`database is up to date (${first.total} migrations)`);
    expect(await tableNames(target, dialect)).toEqual(tablesAfterFirst);
    expect(await target.query(`SELECT * FROM "${MIGRATIONS_TABLE}"`)).toEqual(rowsAfterFirst);
    await target.close();
  });

  it("records name, checksum, started_at and finished_at, and applies only a newly added migration", async () => {
    const target = await kind.fresh();
    await runMigrations({ backend: target.backend, dir: folder(FIRST) });
    const result = await runMigrations({ backend: target.backend, dir: folder({ ...FIRST, ...SECOND }) });
    expect(result.applied).toEqual(["20260102000000_second"]);
    const rows = await target.query<Record<string, unknown>>(
      `SELECT "name", "checksum", "started_at", "finished_at" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`,
    );
    expect(rows.map((row) => row.name)).toEqual(["20260101000000_first", "20260102000000_second"]);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.started_at).toBeTruthy();
      expect(row.finished_at).toBeTruthy();
    }
    await target.close();
  });

  it("two runners starting together apply each migration once (advisory lock)", async (context) => {
    const target = await kind.fresh();
    if (!target.another) {
      await target.close();
      context.skip();
      return;
    }
    const dir = folder({ ...FIRST, ...SECOND });
    const other = await target.another();
    const [a, b] = await Promise.all([
      runMigrations({ backend: target.backend, dir }),
      runMigrations({ backend: other, dir }),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual(["20260101000000_first", "20260102000000_second"]);
    expect([a.total, b.total]).toEqual([2, 2]);
    expect(await target.query(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`)).toHaveLength(2);
    await target.close();
  });

  it("refuses to go on when an applied migration was edited", async () => {
    const target = await kind.fresh();
    const dir = folder(FIRST);
    await runMigrations({ backend: target.backend, dir });
    writeFileSync(
      join(dir, "20260101000000_first", "migration.sql"),
      `${FIRST["20260101000000_first"]}\n-- edited`,
    );
    cpSync(folder(SECOND), dir, { recursive: true });

    const error = await caught(runMigrations({ backend: target.backend, dir }));
    expect(error.code).toBe(DbErrorCode.MIGRATION_CHECKSUM_MISMATCH);
    expect(error.migration).toBe("20260101000000_first");
    expect(error.message).toMatch(/new migration with a later timestamp/);
    // The pending second migration was not applied either.
    expect(await target.query(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`)).toHaveLength(1);
    await target.close();
  });

  it("reports a half-applied migration (started, never finished) by name and applies nothing", async () => {
    const target = await kind.fresh();
    const dir = folder({ ...FIRST, ...SECOND });
    await runMigrations({ backend: target.backend, dir: folder(FIRST) });
    // Simulate a crash during a migration run outside a transaction: its row is started, never finished.
    await target.query(`UPDATE "${MIGRATIONS_TABLE}" SET "finished_at" = NULL`);

    const error = await caught(runMigrations({ backend: target.backend, dir }));
    expect(error.code).toBe(DbErrorCode.MIGRATION_HALF_APPLIED);
    expect(error.migration).toBe("20260101000000_first");
    expect(error.message).toMatch(/Migration 20260101000000_first was started at .+ and never finished/);
    expect(error.message).toMatch(/set finished_at .* or\s+delete the row/);
    expect(await target.query(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`)).toHaveLength(1);
    await target.close();
  });

  it("rolls a failing migration back completely, then applies it once fixed", async () => {
    const target = await kind.fresh();
    const broken = folder({
      ...FIRST,
      "20260102000000_second": `CREATE TABLE "extra" ("id" INTEGER); INSERT INTO "no_such_table" VALUES (1);`,
    });
    const error = await caught(runMigrations({ backend: target.backend, dir: broken }));
    expect(error.code).toBe(DbErrorCode.MIGRATION_FAILED);
    expect(error.migration).toBe("20260102000000_second");
    expect(error.message).toMatch(/no_such_table/);
    const tables = await tableNames(target, target.backend.dialect);
    expect(tables).toContain("things");
    expect(tables).not.toContain("extra");
    expect(
      (await target.query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`)).map((r) => r.name),
    ).toEqual(["20260101000000_first"]);

    const fixed = folder({ ...FIRST, ...SECOND });
    expect((await runMigrations({ backend: target.backend, dir: fixed })).applied).toEqual([
      "20260102000000_second",
    ]);
    await target.close();
  });

  it("records a no-transaction migration as started before running it", async () => {
    const target = await kind.fresh();
    const dir = folder({
      ...FIRST,
      "20260102000000_second": `-- kassa:no-transaction\nCREATE TABLE "half" ("id" INTEGER); INSERT INTO "missing" VALUES (1);`,
    });
    const error = await caught(runMigrations({ backend: target.backend, dir }));
    expect(error.code).toBe(DbErrorCode.MIGRATION_FAILED);
    // Its first statement stayed, and the next run says so instead of guessing.
    const again = await caught(runMigrations({ backend: target.backend, dir }));
    expect(again.code).toBe(DbErrorCode.MIGRATION_HALF_APPLIED);
    expect(again.migration).toBe("20260102000000_second");
    await target.close();
  });
});

describe("migrations folder", () => {
  it("rejects a missing folder and a stray folder with a typed error, before touching any database", async () => {
    const [sqlite] = allTargets();
    await sqlite!.setup();
    const target = await sqlite!.fresh();
    const missing = await caught(runMigrations({ backend: target.backend, dir: join(scratch, "nope") }));
    expect(missing.code).toBe(DbErrorCode.MIGRATIONS_FOLDER_INVALID);
    const stray = folder({ ...FIRST, notes: "SELECT 1;" });
    const invalid = await caught(runMigrations({ backend: target.backend, dir: stray }));
    expect(invalid.code).toBe(DbErrorCode.MIGRATIONS_FOLDER_INVALID);
    expect(invalid.migration).toBe("notes");
    expect(await target.query("SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([]);
    await target.close();
    await sqlite!.teardown();
  });
});
