import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import type { CentralDatabase } from "../../context.ts";
import { SqlParams } from "../dlq/dlq-sql.ts";
import type { DashboardScope } from "../scope.ts";
import type { TAuditLogEntry, TListAuditLogOutput, ZListAuditLogInput } from "./audit-log.types.ts";

interface Row {
  kind: "admin" | "dlq";
  organization_id: string;
  id: string;
  at: Date;
  actor: string;
  role: string | null;
  action: string;
  target_type: string;
  target_id: string;
  summary: string | null;
  result: string | null;
  reason: string | null;
  requested: number | null;
  issued: number | null;
  skipped: number | null;
}

/**
 * One audit log for every change people make: admin changes (audit_events) and DLQ actions
 * (dlq_actions), newest first, paged by (at, kind, id). A store-scoped member sees the entries
 * within their stores: an admin change about the organization itself (settings, people) is
 * shown only to members of every store.
 */
export async function listAuditLog(
  db: CentralDatabase,
  scope: DashboardScope,
  input: z.output<typeof ZListAuditLogInput>,
): Promise<TListAuditLogOutput> {
  const p = new SqlParams();
  const memberships = scope.memberships.filter(
    (m) => input.organizationId === undefined || m.organizationId === input.organizationId,
  );
  if (memberships.length === 0) return { entries: [], nextCursor: null };
  const scopeOf = (alias: string) =>
    memberships
      .map((m) =>
        m.storeIds === null
          ? `${alias}.organization_id = ${p.add(m.organizationId)}`
          : `(${alias}.organization_id = ${p.add(m.organizationId)} AND ${alias}.store_ids <@ ${p.add(m.storeIds)}::text[] AND cardinality(${alias}.store_ids) > 0)`,
      )
      .join(" OR ");
  const parts: string[] = [];
  if (input.kind !== "dlq") {
    parts.push(`SELECT 'admin' AS kind, e.organization_id, e.id, e.at, e.actor, e.role, e.action, e.target_type,
        e.target_id, e.summary, e.result, NULL AS reason, NULL::int AS requested, NULL::int AS issued, NULL::int AS skipped
      FROM audit_events e WHERE ${scopeOf("e")}`);
  }
  if (input.kind !== "admin") {
    // The DLQ log's rule (dlq/list-dlq-actions.ts): an action over no item's store (store_ids '{}')
    // is the organization's, shown only to members of every store — like admin changes.
    parts.push(`SELECT 'dlq' AS kind, a.organization_id, a.id, a.at, a.actor, NULL AS role, 'dlq.' || a.action AS action,
        a.selection AS target_type, COALESCE(a.criteria->>'fingerprint', '') AS target_id, NULL AS summary,
        NULL AS result, a.reason, a.requested, a.issued, a.skipped
      FROM dlq_actions a WHERE ${scopeOf("a")}`);
  }
  const where: string[] = [];
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    where.push(`(x.at, x.kind, x.id) < (${p.add(after.at)}, ${p.add(after.kind)}, ${p.add(after.id)})`);
  }
  const rows = await db.sql.query<Row>(
    `SELECT * FROM (${parts.join(" UNION ALL ")}) x ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY x.at DESC, x.kind DESC, x.id DESC LIMIT ${p.add(input.limit + 1)}`,
    p.values,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    entries: page.map(entryOf),
    nextCursor:
      rows.length > input.limit && last
        ? Buffer.from(JSON.stringify([new Date(last.at).toISOString(), last.kind, last.id])).toString(
            "base64url",
          )
        : null,
  };
}

function entryOf(r: Row): TAuditLogEntry {
  const base = {
    kind: r.kind,
    organizationId: r.organization_id,
    id: r.id,
    at: new Date(r.at),
    actor: r.actor,
    role: r.role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
  };
  if (r.kind === "admin") return { ...base, summary: r.summary ?? "", result: r.result ?? "done" };
  const what =
    r.target_type === "group"
      ? `group ${r.target_id}`
      : r.target_type === "filter"
        ? "a filter"
        : "named items";
  return {
    ...base,
    summary: `${r.action === "dlq.retry" ? "Retry" : "Discard"} of ${r.requested} item(s) (${what})${r.reason ? `: ${r.reason}` : ""}`,
    result: `${r.issued} issued, ${r.skipped} skipped`,
  };
}

function decodeCursor(text: string): { at: Date; kind: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string")) {
      const at = new Date(value[0] as string);
      if (!Number.isNaN(at.getTime())) return { at, kind: value[1] as string, id: value[2] as string };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", {
    message: "The page cursor is not valid: reload the audit log from the first page.",
    fieldErrors: { cursor: ["Not a cursor returned by dashboard.admin.audit.list."] },
  });
}
