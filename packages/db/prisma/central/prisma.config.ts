import { defineConfig } from "prisma/config";

// The URL is only a placeholder for `prisma generate`, which never connects. Run time uses the
// client factories in src/central (PostgreSQL via DATABASE_URL, or embedded PGlite).
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://placeholder@localhost/kassa" },
});
