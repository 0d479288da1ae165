import { AppError } from "../../../errors.ts";
import { permitted } from "../permissions.ts";
import { SqlParams } from "./dlq-sql.ts";
import {
  type TDlqActionEntry,
  ZListDlqActionsInput,
  ZListDlqActionsOutput,
} from "./list-dlq-actions.types.ts";

interface ActionRow {
  organization_id: string;
  id: string;
  action: "retry" | "discard";
  selection: "items" | "group" | "filter";
  criteria: { fingerprint?: string };
  reason: string | null;
  actor: string;
  at: Date;
  requested: number;
  issued: number;
  skipped: number;
}

/**
 * The DLQ audit log, newest first. A store-scoped member sees the actions whose items all lie in
 * their stores (an action over other stores would tell them about those stores' items), and not
 * one that touched no item (its criteria and reason are the organization's); every
 * item's own history, with the acts on it, is on the item's detail.
 */
export const listDlqActionsProcedure = permitted("dlq.view")
  .input(ZListDlqActionsInput)
  .output(ZListDlqActionsOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const scope = ctx.scope.memberships
      .map((m) =>
        m.storeIds === null
          ? `a.organization_id = ${p.add(m.organizationId)}`
          : // An action over no item (store_ids '{}') names its filter and reason, which can speak of
            // any store: only members of every store see it (and a member of no store sees none).
            `(a.organization_id = ${p.add(m.organizationId)} AND a.store_ids <@ ${p.add(m.storeIds)}::text[] AND cardinality(a.store_ids) > 0)`,
      )
      .join(" OR ");
    const where = [`(${scope})`];
    if (input.organizationId) where.push(`a.organization_id = ${p.add(input.organizationId)}`);
    if (input.action) where.push(`a.action = ${p.add(input.action)}`);
    if (input.cursor) {
      const after = decodeCursor(input.cursor);
      where.push(`(a.at, a.id) < (${p.add(after.at)}, ${p.add(after.id)})`);
    }
    const rows = await ctx.db.sql.query<ActionRow>(
      `SELECT a.organization_id, a.id, a.action, a.selection, a.criteria, a.reason, a.actor, a.at, a.requested,
         a.issued, a.skipped
       FROM dlq_actions a WHERE ${where.join(" AND ")}
       ORDER BY a.at DESC, a.id DESC LIMIT ${p.add(input.limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, input.limit);
    const counts = new Map<string, TDlqActionEntry["commands"]>();
    if (page.length > 0) {
      const states = await ctx.db.sql.query<{
        organization_id: string;
        action_id: string;
        issued: bigint;
        delivered: bigint;
        applied: bigint;
        failed: bigint;
      }>(
        `SELECT c.organization_id, c.action_id,
           count(*) FILTER (WHERE c.acked_at IS NULL AND c.delivered_at IS NULL) AS issued,
           count(*) FILTER (WHERE c.acked_at IS NULL AND c.delivered_at IS NOT NULL) AS delivered,
           count(*) FILTER (WHERE c.acked_at IS NOT NULL AND c.outcome = 'applied') AS applied,
           count(*) FILTER (WHERE c.acked_at IS NOT NULL AND c.outcome IS DISTINCT FROM 'applied') AS failed
         FROM sync_commands c
         JOIN unnest($1::text[], $2::text[]) AS v(organization_id, action_id)
           ON c.organization_id = v.organization_id AND c.action_id = v.action_id
         GROUP BY c.organization_id, c.action_id`,
        [page.map((r) => r.organization_id), page.map((r) => r.id)],
      );
      for (const s of states) {
        counts.set(`${s.organization_id} ${s.action_id}`, {
          issued: Number(s.issued),
          delivered: Number(s.delivered),
          applied: Number(s.applied),
          failed: Number(s.failed),
        });
      }
    }
    const last = page.at(-1);
    return {
      actions: page.map((r) => ({
        organizationId: r.organization_id,
        id: r.id,
        action: r.action,
        selection: r.selection,
        fingerprint: r.criteria.fingerprint ?? null,
        reason: r.reason,
        actor: r.actor,
        at: r.at,
        requested: r.requested,
        issued: r.issued,
        skipped: r.skipped,
        commands: counts.get(`${r.organization_id} ${r.id}`) ?? {
          issued: 0,
          delivered: 0,
          applied: 0,
          failed: 0,
        },
      })),
      nextCursor:
        rows.length > input.limit && last
          ? Buffer.from(JSON.stringify([last.at.toISOString(), last.id])).toString("base64url")
          : null,
    };
  });

function decodeCursor(text: string): { at: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")) {
      const at = new Date(value[0] as string);
      if (!Number.isNaN(at.getTime())) return { at, id: value[1] as string };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", {
    message: "The page cursor is not valid: reload the audit log from the first page.",
    fieldErrors: { cursor: ["Not a cursor returned by dashboard.dlq.actions."] },
  });
}
