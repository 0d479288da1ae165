import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { readMigrationFiles } from "../migrate/migration-files.ts";
import { centralMigrationsDir } from "../migrate/paths.ts";
import { pgliteBackend } from "../migrate/pglite-backend.ts";
import { runMigrations } from "../migrate/run-migrations.ts";

// A new PGlite runs initdb: 3–8 s on a busy 2-core machine. Restoring a migrated data directory
// from a tarball takes under a second, so each test file pays initdb once per machine, not per file.
// The template is keyed by the migrations and the PGlite build, so any change makes a new one.
function templatePath(migrationsDir: string): string {
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const key = createHash("sha256")
    .update(
      readMigrationFiles(migrationsDir)
        .map((m) => `${m.name}:${m.checksum}`)
        .join("\n"),
    )
    .update(`${pglite}:${statSync(pglite).mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  return join(tmpdir(), `kassa-pglite-template-${key}.tar`);
}

/** A fresh in-memory PGlite holding a migrated central schema and no rows. */
export async function pgliteFromTemplate(migrationsDir: string = centralMigrationsDir): Promise<PGlite> {
  const file = templatePath(migrationsDir);
  if (existsSync(file)) {
    return PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
  }
  const db = await PGlite.create();
  await runMigrations({ backend: pgliteBackend(db), dir: migrationsDir });
  const dump = await db.dumpDataDir("none");
  // Write-then-rename: test files running in parallel never read a half-written template.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return db;
}
