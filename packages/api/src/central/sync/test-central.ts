import { randomBytes } from "node:crypto";
import { type CentralDatabase, issueTerminalCredential } from "@kassa/db/central";
import { createTestCentralDatabase } from "@kassa/db/testing";

/**
 * A throwaway central database for tests and benchmarks: a fresh database with a random name on
 * `serverUrl` (default TEST_DATABASE_URL; dropped by dispose), or an in-memory PGlite.
 */
export async function openThrowawayCentral(
  serverUrl = process.env.TEST_DATABASE_URL,
  poolSize?: number,
): Promise<{ db: CentralDatabase; dispose(): Promise<void> }> {
  // "" rather than undefined: an explicit "no server" must not fall back to TEST_DATABASE_URL.
  const db = await createTestCentralDatabase({
    serverUrl: serverUrl ?? "",
    ...(poolSize ? { poolSize } : {}),
  });
  return { db, dispose: () => db.close() };
}

export interface SeededTerminal {
  organizationId: string;
  storeId: string;
  id: string;
  key: string;
}

/** An organization with `stores` stores and `perStore` active terminals each; returns their keys. */
export async function seedFleet(
  db: CentralDatabase,
  options: { organizationId?: string; stores?: number; perStore?: number } = {},
): Promise<SeededTerminal[]> {
  const organizationId = options.organizationId ?? `org-${randomBytes(4).toString("hex")}`;
  await db.sql.query("INSERT INTO organizations (id, name) VALUES ($1, $2)", [organizationId, "Optika"]);
  const terminals: SeededTerminal[] = [];
  for (let s = 0; s < (options.stores ?? 1); s++) {
    const storeId = `${organizationId}-s${s}`;
    await db.sql.query("INSERT INTO stores (organization_id, id, name) VALUES ($1, $2, $3)", [
      organizationId,
      storeId,
      `Store ${s}`,
    ]);
    const ids: string[] = [];
    const hashes: string[] = [];
    for (let t = 0; t < (options.perStore ?? 1); t++) {
      const id = `${storeId}-t${t}`;
      const credential = issueTerminalCredential(id);
      ids.push(id);
      hashes.push(credential.keyHash);
      terminals.push({ organizationId, storeId, id, key: credential.key });
    }
    await db.sql.query(
      `INSERT INTO terminals (organization_id, id, store_id, name, key_hash)
       SELECT $1, v.id, $2, v.id, v.hash FROM unnest($3::text[], $4::text[]) AS v(id, hash)`,
      [organizationId, storeId, ids, hashes],
    );
  }
  return terminals;
}
