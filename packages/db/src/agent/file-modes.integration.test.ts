import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openAgentDatabase } from "./open-agent-database.ts";

// The buffer holds receipts, PIN hashes and cashier sessions: the folder the agent creates for it is
// 0700 and the SQLite files 0600, whatever the process umask would have given (usually 0755/0644).

const root = mkdtempSync(join(tmpdir(), "kassa-agent-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === "win32")("agent buffer file modes", () => {
  it("creates the data folders 0700 and the database, WAL and SHM files 0600", async () => {
    const dataDir = join(root, "fresh", "agent");
    const file = join(dataDir, "buffer.sqlite");
    const db = await openAgentDatabase(file);
    db.prepare("INSERT INTO meta (key, value) VALUES ('mode-test', '1')").run();
    expect(modeOf(join(root, "fresh"))).toBe(0o700);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ path, mode: modeOf(path).toString(8) }).toEqual({ path, mode: "600" });
    }
    db.close();
  });

  it("tightens a buffer an older release left readable by others (0644), WAL and SHM included", async () => {
    const dataDir = join(root, "old");
    mkdirSync(dataDir, { mode: 0o755 });
    const file = join(dataDir, "buffer.sqlite");
    const old = new Database(file, { fileMustExist: false });
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE t (x)");
    old.exec("INSERT INTO t VALUES (1)");
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(path) & 0o044).not.toBe(0);

    const db = await openAgentDatabase(file);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ path, mode: modeOf(path).toString(8) }).toEqual({ path, mode: "600" });
    }
    // An existing folder is the operator's: left as it was.
    expect(modeOf(dataDir)).toBe(0o755);
    db.close();
    old.close();
  });
});
