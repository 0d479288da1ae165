import { AppError } from "../../../errors.ts";
import type { DashboardScope, MembershipScope } from "../scope.ts";
import type { TDlqCommandState, TDlqCommandView, TDlqFilterFields } from "./dlq-filter.types.ts";

/**
 * The DLQ views are raw SQL (aggregates, keyset pages, bulk actions over thousands of rows), so the
 * tenancy rule of scope.ts is spelled here as SQL once, and every DLQ query goes through it.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a bound value and returns its placeholder ($n). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `d`'s rows the memberships may see: their organizations, narrowed to their stores if store-scoped. */
export function scopeSql(memberships: readonly MembershipScope[], p: SqlParams, alias = "d"): string {
  if (memberships.length === 0) return "false";
  return `(${memberships
    .map((m) =>
      m.storeIds === null
        ? `${alias}.organization_id = ${p.add(m.organizationId)}`
        : `(${alias}.organization_id = ${p.add(m.organizationId)} AND ${alias}.store_id = ANY(${p.add(m.storeIds)}::text[]))`,
    )
    .join(" OR ")})`;
}

/** The filter fields as SQL conditions on `d` (dlq_items); ages count back from `now`. */
export function filterSql(filter: TDlqFilterFields, p: SqlParams, now: Date): string[] {
  const where: string[] = [];
  if (filter.organizationId) where.push(`d.organization_id = ${p.add(filter.organizationId)}`);
  if (filter.storeId) where.push(`d.store_id = ${p.add(filter.storeId)}`);
  if (filter.terminalId) where.push(`d.terminal_id = ${p.add(filter.terminalId)}`);
  if (filter.kind) where.push(`d.item_kind = ${p.add(filter.kind)}`);
  if (filter.errorCode) where.push(`split_part(d.fingerprint, ':', 1) = ${p.add(filter.errorCode)}`);
  if (filter.fingerprint) where.push(`d.fingerprint = ${p.add(filter.fingerprint)}`);
  if (filter.minAgeHours !== undefined)
    where.push(`d.created_at <= ${p.add(new Date(now.getTime() - filter.minAgeHours * 3600_000))}`);
  if (filter.maxAgeHours !== undefined)
    where.push(`d.created_at >= ${p.add(new Date(now.getTime() - filter.maxAgeHours * 3600_000))}`);
  return where;
}

/** The user's membership in one organization, if it holds the procedure's permission. */
export function membershipIn(scope: DashboardScope, organizationId: string): MembershipScope {
  const membership = scope.memberships.find((m) => m.organizationId === organizationId);
  if (!membership) {
    throw new AppError("FORBIDDEN", {
      message: "Your role in this organization does not allow this: ask an owner.",
    });
  }
  return membership;
}

/** The columns of an item's latest command (`c`, from LATEST_COMMAND_JOIN). */
export const COMMAND_COLUMNS = `c.id AS command_id, c.action AS command_action, c.reason AS command_reason,
  c.issued_by AS command_issued_by, c.issued_at AS command_issued_at, c.delivered_at AS command_delivered_at,
  c.acked_at AS command_acked_at, c.outcome AS command_outcome`;

/** Each item's latest command, by the (organization, terminal, item, issued_at) index. */
export const LATEST_COMMAND_JOIN = `LEFT JOIN LATERAL (
    SELECT * FROM sync_commands c
    WHERE c.organization_id = d.organization_id AND c.terminal_id = d.terminal_id AND c.dlq_item_id = d.id
    ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) c ON true`;

export interface CommandRow {
  command_id: string | null;
  command_action: "retry" | "discard" | null;
  command_reason: string | null;
  command_issued_by: string | null;
  command_issued_at: Date | null;
  command_delivered_at: Date | null;
  command_acked_at: Date | null;
  command_outcome: string | null;
}

export function commandState(row: {
  delivered_at: Date | null;
  acked_at: Date | null;
  outcome: string | null;
}): TDlqCommandState {
  if (row.acked_at === null) return row.delivered_at === null ? "issued" : "delivered";
  return row.outcome === "applied" ? "applied" : "failed";
}

export function commandView(row: CommandRow): TDlqCommandView | null {
  if (row.command_id === null) return null;
  return {
    id: row.command_id,
    action: row.command_action ?? "retry",
    state: commandState({
      delivered_at: row.command_delivered_at,
      acked_at: row.command_acked_at,
      outcome: row.command_outcome,
    }),
    reason: row.command_reason,
    issuedBy: row.command_issued_by ?? "",
    issuedAt: row.command_issued_at ?? new Date(0),
    deliveredAt: row.command_delivered_at,
    ackedAt: row.command_acked_at,
  };
}

/** The error code of a fingerprint (`<code>:<hash of the normalised message>`). */
export function errorCodeOf(fingerprint: string): string {
  const colon = fingerprint.indexOf(":");
  return colon === -1 ? fingerprint : fingerprint.slice(0, colon);
}

/**
 * A message with what varies between items of one cause blanked, as the agent does before it
 * hashes the message into the fingerprint (apps/terminal-agent/src/sync/fingerprint.ts): quoted
 * values, ULIDs, and words with digits. The group view shows this as the group's message.
 */
export function normaliseErrorMessage(message: string): string {
  return message
    .replace(/"[^"]*"/g, '""')
    .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, "<id>")
    .replace(/\b[\w-]*\d[\w-]*\b/g, "#");
}

/** Keyset cursor of the item list, newest first by (created_at, terminal_id, id). */
export function encodeDlqCursor(cursor: { createdAt: Date; terminalId: string; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.terminalId, cursor.id])).toString(
    "base64url",
  );
}

export function decodeDlqCursor(text: string): { createdAt: Date; terminalId: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string")) {
      const [at, terminalId, id] = value as [string, string, string];
      const createdAt = new Date(at);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, terminalId, id };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", {
    message: "The page cursor is not valid: reload the DLQ list from the first page.",
    fieldErrors: { cursor: ["Not a cursor returned by dashboard.dlq.list."] },
  });
}
