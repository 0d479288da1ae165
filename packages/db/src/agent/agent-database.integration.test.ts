import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { DbErrorCode } from "../errors.ts";
import { AgentSqliteAdapterFactory, createAgentPrismaClient } from "./create-agent-prisma-client.ts";
import { openAgentDatabase } from "./open-agent-database.ts";

const dir = mkdtempSync(join(tmpdir(), "kassa-agent-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshFile = () => join(dir, `buffer-${counter++}.db`);

function pragmasOf(db: Database.Database) {
  return {
    journal_mode: db.pragma("journal_mode", { simple: true }),
    synchronous: db.pragma("synchronous", { simple: true }),
    busy_timeout: db.pragma("busy_timeout", { simple: true }),
    foreign_keys: db.pragma("foreign_keys", { simple: true }),
  };
}
const EXPECTED = { journal_mode: "wal", synchronous: 2, busy_timeout: 5000, foreign_keys: 1 };

describe("openAgentDatabase", () => {
  it("opens with WAL, synchronous=FULL (2), busy_timeout=5000 and foreign keys, migrated", async () => {
    const db = await openAgentDatabase(freshFile());
    expect(pragmasOf(db)).toEqual(EXPECTED);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(["_kassa_migrations", "meta", "outbox", "receipts"]));
    db.close();
  });

  it("sets the pragmas again on every reopen (synchronous is per connection, not stored in the file)", async () => {
    const file = freshFile();
    (await openAgentDatabase(file)).close();
    // A plain connection to the same file shows what the file alone gives: WAL persists, FULL does not.
    const plain = new Database(file);
    expect(plain.pragma("synchronous", { simple: true })).not.toBe(2);
    plain.close();
    const lines: string[] = [];
    const again = await openAgentDatabase(file, { log: (line) => lines.push(line) });
    expect(pragmasOf(again)).toEqual(EXPECTED);
    expect(lines).toEqual([expect.stringMatching(/^database is up to date \(\d+ migrations\)$/)]);
    again.close();
  });

  it("refuses an in-memory database with a typed error", async () => {
    await expect(openAgentDatabase(":memory:")).rejects.toMatchObject({
      code: DbErrorCode.INVALID_DATABASE_CONFIG,
    });
  });
});

describe("two agent processes starting on one buffer", () => {
  it("apply each migration exactly once between them, and both start", async () => {
    const file = freshFile();
    const fixture = join(import.meta.dirname, "fixtures", "open-buffer.ts");
    const run = () =>
      new Promise<string[]>((resolvePromise, reject) => {
        execFile(process.execPath, ["--import", "tsx", fixture, file], (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolvePromise(JSON.parse(stdout)),
        );
      });
    const [a, b] = await Promise.all([run(), run()]);
    const applied = [...a, ...b].filter((line) => line.startsWith("applied "));
    const db = await openAgentDatabase(file);
    const rows = db.prepare('SELECT name FROM "_kassa_migrations"').pluck().all() as string[];
    db.close();
    expect(new Set(rows).size).toBe(rows.length);
    expect(applied).toHaveLength(rows.length);
  }, 60_000);
});

describe("createAgentPrismaClient", () => {
  it("runs the pragmas on every connection its adapter opens", async () => {
    const file = freshFile();
    (await openAgentDatabase(file)).close();
    const factory = new AgentSqliteAdapterFactory({ url: file });
    for (let i = 0; i < 3; i++) {
      const connection = await factory.connect();
      const read = async (name: string) =>
        (await connection.queryRaw({ sql: `PRAGMA ${name}`, args: [], argTypes: [] })).rows[0]?.[0];
      expect(await read("journal_mode")).toBe("wal");
      expect(Number(await read("synchronous"))).toBe(2);
      expect(Number(await read("busy_timeout"))).toBe(5000);
      await connection.dispose();
    }
  });

  it("queries through Prisma on a WAL + FULL connection, also after a reconnect and inside a transaction", async () => {
    const file = freshFile();
    (await openAgentDatabase(file)).close();
    const prisma = createAgentPrismaClient(file);
    const synchronous = async () =>
      Number(
        (await prisma.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous"))[0]
          ?.synchronous,
      );
    const journal = async () =>
      (await prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode"))[0]?.journal_mode;
    expect(await journal()).toBe("wal");
    expect(await synchronous()).toBe(2);
    await prisma.meta.create({ data: { key: "hlc", value: "1795000000000.00000" } });
    await prisma.$disconnect();
    expect(await synchronous()).toBe(2);
    await prisma.$transaction(async (tx) => {
      const inside = await tx.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
      expect(Number(inside[0]?.synchronous)).toBe(2);
    });
    expect(await prisma.meta.findUnique({ where: { key: "hlc" } })).toEqual({
      key: "hlc",
      value: "1795000000000.00000",
    });
    await prisma.$disconnect();
  });
});
