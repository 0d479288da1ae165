import { randomBytes } from "node:crypto";
import pg from "pg";
import { DbError, DbErrorCode } from "../errors.ts";

export interface ThrowawayDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a random name on the server of `serverUrl`, so parallel test runs
 * (several helpers, CI shards) never share tables.
 */
export async function createThrowawayDatabase(serverUrl: string): Promise<ThrowawayDatabase> {
  const name = `kassa_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withAdminClient(
  serverUrl: string,
  fn: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    const { hostname, port } = new URL(serverUrl);
    throw new DbError(
      DbErrorCode.DATABASE_UNREACHABLE,
      `Cannot reach the test PostgreSQL at ${hostname}:${port || 5432} (${(error as Error).message}): start it, or unset TEST_DATABASE_URL to test on embedded PGlite.`,
      { cause: error },
    );
  }
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
