const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

/**
 * The e2e suite creates and drops databases: it refuses any server that is not on this machine,
 * so a stray TEST_DATABASE_URL can never point it at a shared or production PostgreSQL.
 */
export function assertLocalDatabase(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error(`TEST_DATABASE_URL is not a URL: expected postgresql://user:password@127.0.0.1:5432/db`);
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(
      `TEST_DATABASE_URL points at ${host}: the e2e suite only runs against a local PostgreSQL (localhost, 127.0.0.1, ::1). Unset it to use embedded PGlite.`,
    );
  }
}
