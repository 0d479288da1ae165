import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { DbErrorCode, MigrationError } from "../errors.ts";
import { centralMigrationsDir } from "../migrate/paths.ts";
import { pgliteBackend } from "../migrate/pglite-backend.ts";
import { runMigrations } from "../migrate/run-migrations.ts";

// Migration 20261201180000_email_lowercase (review D2 of issue 10): users made before issue 10 with
// a mixed-case email could not sign in (better-auth looks emails up lowercased) and an invitation
// to the lowercased address made them a second account.

const MIGRATION = "20261201180000_email_lowercase";
const root = mkdtempSync(join(tmpdir(), "kassa-email-lowercase-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The central migrations before this one, as a folder of their own. */
const before = join(root, "before");
for (const name of readdirSync(centralMigrationsDir)) {
  if (name < MIGRATION || name === "migration_lock.toml") {
    cpSync(join(centralMigrationsDir, name), join(before, name), { recursive: true });
  }
}

/** A database at the migration before this one, holding `users` as the old code stored them. */
async function legacyDatabase(users: Array<{ id: string; email: string }>): Promise<PGlite> {
  const pglite = await PGlite.create();
  await runMigrations({ backend: pgliteBackend(pglite), dir: before, log: () => {} });
  for (const user of users) {
    await pglite.query(`INSERT INTO users (id, email, name) VALUES ($1, $2, 'Legacy')`, [
      user.id,
      user.email,
    ]);
  }
  return pglite;
}

const emails = async (pglite: PGlite) =>
  (await pglite.query<{ id: string; email: string }>(`SELECT id, email FROM users ORDER BY id`)).rows;

describe(MIGRATION, { timeout: 60_000 }, () => {
  it("lowercases existing emails, and the database refuses a mixed-case one from then on", async () => {
    const pglite = await legacyDatabase([
      { id: "01A", email: "Owner@Shop.RU" },
      { id: "01B", email: "manager@shop.ru" },
    ]);
    try {
      const result = await runMigrations({
        backend: pgliteBackend(pglite),
        dir: centralMigrationsDir,
        log: () => {},
      });
      expect(result.applied).toContain(MIGRATION);
      expect(await emails(pglite)).toEqual([
        { id: "01A", email: "owner@shop.ru" },
        { id: "01B", email: "manager@shop.ru" },
      ]);
      await expect(
        pglite.query(`INSERT INTO users (id, email, name) VALUES ('01C', 'New@Shop.ru', 'New')`),
      ).rejects.toThrow(/users_email_lowercase/);
    } finally {
      await pglite.close();
    }
  });

  it("refuses two users whose emails differ only in case, naming them, and changes nothing", async () => {
    const pglite = await legacyDatabase([
      { id: "01A", email: "Owner@Shop.ru" },
      { id: "01B", email: "owner@shop.ru" },
      { id: "01C", email: "Other@Shop.ru" },
    ]);
    try {
      const error = await runMigrations({
        backend: pgliteBackend(pglite),
        dir: centralMigrationsDir,
        log: () => {},
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ code: DbErrorCode.MIGRATION_FAILED });
      expect((error as Error).message).toContain("owner@shop.ru (users 01A, 01B)");
      expect(await emails(pglite)).toEqual([
        { id: "01A", email: "Owner@Shop.ru" },
        { id: "01B", email: "owner@shop.ru" },
        { id: "01C", email: "Other@Shop.ru" },
      ]);
    } finally {
      await pglite.close();
    }
  });
});
