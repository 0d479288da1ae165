import { AppError } from "../../errors.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

/** How long a sync lease lives without a push renewing it, ms (tests and operators may change it). */
export const leaseSettings = { ttlMs: 30_000 };

export interface SyncLease {
  /** Fencing token (decimal string of a 64-bit counter). */
  token: string;
  expiresAt: Date;
}

// Taking the lease bumps the token, so whatever an earlier holder still has in flight is refused.
const ACQUIRE = `
INSERT INTO terminal_sync_state (organization_id, terminal_id, lease_token, lease_holder, lease_expires_at)
VALUES ($1, $2, 1, $3, $4)
ON CONFLICT (organization_id, terminal_id) DO UPDATE SET
  lease_token = terminal_sync_state.lease_token + 1, lease_holder = EXCLUDED.lease_holder,
  lease_expires_at = EXCLUDED.lease_expires_at
WHERE terminal_sync_state.lease_holder IS NULL OR terminal_sync_state.lease_expires_at < $5
   OR terminal_sync_state.lease_holder = $3
RETURNING lease_token::text AS token`;

// Renewal needs the current token: once another process took over, the old token matches nothing.
const RENEW = `
UPDATE terminal_sync_state SET lease_expires_at = $5, last_push_at = $6
WHERE organization_id = $1 AND terminal_id = $2 AND lease_token = $3::bigint AND lease_holder = $4
RETURNING lease_token::text AS token`;

/**
 * The per-terminal sync lease: one sync session per terminal at a time across every central
 * instance (the state is in PostgreSQL). A push carries the token it was granted; a push with an
 * older token comes from a stale process and is refused.
 */
export async function acquireOrRenewLease(
  sql: SqlRunner,
  terminal: TerminalScope,
  request: { holder: string; token: string | null },
  now: Date,
): Promise<SyncLease> {
  const expiresAt = new Date(now.getTime() + leaseSettings.ttlMs);
  if (request.token !== null) {
    const rows = await sql.query<{ token: string }>(RENEW, [
      terminal.organizationId,
      terminal.id,
      request.token,
      request.holder,
      expiresAt,
      now,
    ]);
    if (rows[0]) return { token: rows[0].token, expiresAt };
    throw new AppError("LEASE_CONFLICT", {
      message: `Sync lease token ${request.token} of terminal ${terminal.id} is stale: another process took over. Re-acquire the lease (send no token) before pushing.`,
    });
  }
  const rows = await sql.query<{ token: string }>(ACQUIRE, [
    terminal.organizationId,
    terminal.id,
    request.holder,
    expiresAt,
    now,
  ]);
  if (rows[0]) return { token: rows[0].token, expiresAt };
  const held = await sql.query<{ lease_expires_at: Date | string | null }>(
    "SELECT lease_expires_at FROM terminal_sync_state WHERE organization_id = $1 AND terminal_id = $2",
    [terminal.organizationId, terminal.id],
  );
  const until = held[0]?.lease_expires_at ? new Date(held[0].lease_expires_at).getTime() : now.getTime();
  throw new AppError("LEASE_CONFLICT", {
    message: `Another process holds terminal ${terminal.id}'s sync lease; only one may sync at a time. Try again after it expires.`,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
  });
}
