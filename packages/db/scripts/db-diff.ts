// npm run db:diff -w @kassa/db -- <central|agent> [--name <what_changed>]
//
// Authors a migration offline: Prisma's own schema engine (wasm) replays the existing migrations on a
// throwaway shadow database (in-memory PGlite for central, in-memory SQLite for the agent) and prints
// the SQL that brings it to schema.prisma. With --name it writes
// prisma/<db>/migrations/<UTC timestamp>_<name>/migration.sql. Exit code: 0 = no change, 2 = change.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { loadSchemaEngine } from "./schema-engine.ts";

/**
 * The engine applies each migration file with one raw execute; better-sqlite3 prepares one statement
 * at a time and refuses a file of many, so such calls go through `executeScript` (sqlite3_exec).
 */
class ScriptTolerantSqlite extends PrismaBetterSqlite3 {
  override async connect() {
    return tolerateScripts(await super.connect());
  }
  override async connectToShadowDb() {
    return tolerateScripts(await super.connectToShadowDb());
  }
}

function tolerateScripts<T extends SqlDriverAdapter>(adapter: T): T {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (
        query.args.length > 0 ||
        !/more than one statement/i.test(String((error as Error).message ?? error))
      )
        throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** One throwaway PGlite serves as the engine's main and shadow database: one initdb instead of two. */
class SingleInstancePGlite extends PrismaPGlite {
  override connectToShadowDb() {
    return this.connect();
  }
}

/**
 * The SQL that takes a database built by the migrations to what schema.prisma describes; "" when
 * they match. `schema` replaces the schema file's text (tests use it to simulate an edit); `pglite`
 * is an empty instance to use (tests restore one from a template instead of running initdb).
 */
export async function diffMigrationsToSchema(
  which: "central" | "agent",
  options: { schema?: string; pglite?: PGlite } = {},
): Promise<string> {
  const schemaPath = join(root, "prisma", which, "schema.prisma");
  const baseDir = join(root, "prisma", which, "migrations");
  const schema = options.schema ?? readFileSync(schemaPath, "utf8");
  const names = readdirSync(baseDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const adapter = bindMigrationAwareSqlAdapterFactory(
    which === "central"
      ? new SingleInstancePGlite(options.pglite ?? new PGlite())
      : new ScriptTolerantSqlite({ url: ":memory:" }),
  );
  const SchemaEngine = await loadSchemaEngine();
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, adapter);
  const lockfile = join(baseDir, "migration_lock.toml");
  const result = await engine.diff({
    from: {
      tag: "migrations",
      baseDir,
      lockfile: {
        path: "migration_lock.toml",
        content: existsSync(lockfile) ? readFileSync(lockfile, "utf8") : null,
      },
      shadowDbInitScript: "",
      migrationDirectories: names.map((name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok", value: readFileSync(join(baseDir, name, "migration.sql"), "utf8") },
        },
      })),
    },
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: true,
    filters: { externalTables: [], externalEnums: [] },
  });
  engine.free();
  const script = result.stdout ?? "";
  return script.trim() === "-- This is an empty migration." ? "" : script;
}

function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function main() {
  const [which, flag, name] = process.argv.slice(2);
  if ((which !== "central" && which !== "agent") || (flag !== undefined && (flag !== "--name" || !name))) {
    console.error("usage: npm run db:diff -w @kassa/db -- <central|agent> [--name <what_changed>]");
    process.exit(1);
  }
  if (name && !/^[a-z0-9_]+$/.test(name)) {
    console.error(`--name must be lower_snake_case (got "${name}")`);
    process.exit(1);
  }
  const script = await diffMigrationsToSchema(which);
  if (!script) {
    console.error(
      `prisma/${which}/migrations already match prisma/${which}/schema.prisma: nothing to write.`,
    );
    process.exit(0);
  }
  if (!name) {
    process.stdout.write(script);
    console.error(
      `\nschema.prisma differs from the migrations. Write it with: -- ${which} --name <what_changed>`,
    );
    process.exit(2);
  }
  const dir = join(root, "prisma", which, "migrations", `${timestamp()}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), script);
  console.error(`wrote ${join(dir, "migration.sql")}: review it, run the tests, commit it.`);
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
