import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyPglite } from "../src/testing/pglite-template.ts";
import { diffMigrationsToSchema } from "./db-diff.ts";

// A second, independent drift check: Prisma's own schema engine replays the hand-written migrations
// and finds nothing left to do. It is also the authoring tool (`npm run db:diff`).
describe("db:diff (Prisma schema engine, wasm, offline)", () => {
  it("finds the agent migrations equal to schema.prisma, and prints the SQL for an edit", async () => {
    expect(await diffMigrationsToSchema("agent")).toBe("");
    const schema = readFileSync(join(import.meta.dirname, "../prisma/agent/schema.prisma"), "utf8");
    const edited = schema.replace(/model Meta \{\n/, "model Meta {\n  note String?\n");
    expect(edited).not.toBe(schema);
    expect(await diffMigrationsToSchema("agent", { schema: edited })).toMatch(
      /ALTER TABLE "meta" ADD COLUMN "note" TEXT;/,
    );
  }, 60_000);

  it("finds the central migrations equal to schema.prisma", async () => {
    expect(await diffMigrationsToSchema("central", { pglite: await emptyPglite() })).toBe("");
  }, 120_000);
});
