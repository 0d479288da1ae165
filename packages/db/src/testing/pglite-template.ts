import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { readMigrationFiles } from "../migrate/migration-files.ts";
import { centralMigrationsDir } from "../migrate/paths.ts";
import { pgliteBackend } from "../migrate/pglite-backend.ts";
import { runMigrations } from "../migrate/run-migrations.ts";

// A new PGlite runs initdb: 3–12 s on a busy 2-core machine. Restoring a data directory from a
// tarball takes under a second, so each machine pays initdb once per template, not once per test
// file. Templates are keyed by the PGlite build and the migrations, so any change makes a new one.
function templatePath(kind: string, content: string): string {
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const key = createHash("sha256")
    .update(`${pglite}:${statSync(pglite).mtimeMs}\n${content}`)
    .digest("hex")
    .slice(0, 16);
  return join(tmpdir(), `kassa-pglite-${kind}-${key}.tar`);
}

async function fromTemplate(
  kind: string,
  file: string,
  build: (db: PGlite) => Promise<unknown>,
): Promise<PGlite> {
  const template = readIfPresent(file);
  if (template) return PGlite.create({ loadDataDir: new Blob([template]) });
  const db = await PGlite.create();
  await build(db);
  const dump = await db.dumpDataDir("none");
  // Write-then-rename: test files running in parallel never read a half-written template.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  // Templates for older migrations are dead weight (~40 MB each): remove them, best effort.
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(`kassa-pglite-${kind}-`) && name.endsWith(".tar") && join(tmpdir(), name) !== file) {
      rmSync(join(tmpdir(), name), { force: true });
    }
  }
  return db;
}

// Buffer<ArrayBuffer> (never shared memory), so it is a BlobPart under the DOM lib too.
function readIfPresent(file: string): Buffer<ArrayBuffer> | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // not built yet, or replaced by a run with other migrations a moment ago
  }
}

/** A fresh in-memory PGlite holding a migrated central schema and no rows. */
export function pgliteFromTemplate(migrationsDir: string = centralMigrationsDir): Promise<PGlite> {
  const migrations = readMigrationFiles(migrationsDir).map((m) => `${m.name}:${m.checksum}`);
  return fromTemplate("central", templatePath("central", migrations.join("\n")), (db) =>
    runMigrations({ backend: pgliteBackend(db), dir: migrationsDir }),
  );
}

/** A fresh, empty in-memory PGlite (just after initdb). */
export function emptyPglite(): Promise<PGlite> {
  return fromTemplate("empty", templatePath("empty", ""), async () => {});
}
