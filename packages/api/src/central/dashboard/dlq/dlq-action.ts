import { randomUUID } from "node:crypto";
import { AppError } from "../../../errors.ts";
import { type DlqAction, issueDlqCommands } from "../../sync/commands.ts";
import type { SqlRunner, TransactionalSql } from "../../sync/sql.ts";
import type { MembershipScope } from "../scope.ts";
import type { TDlqActionOutput } from "./dlq-action.types.ts";
import type { TDlqFilterFields, TDlqItemKey } from "./dlq-filter.types.ts";
import { filterSql, SqlParams, scopeSql } from "./dlq-sql.ts";

export type DlqActionSelection =
  | { type: "items"; items: readonly TDlqItemKey[] }
  | { type: "group"; fingerprint: string; filter: Omit<TDlqFilterFields, "organizationId" | "fingerprint"> }
  | { type: "filter"; filter: Omit<TDlqFilterFields, "organizationId"> };

export interface DlqActionRequest {
  /** The actor's membership in the action's organization (already narrowed to those holding dlq.act). */
  membership: MembershipScope;
  actor: { id: string; email: string };
  action: DlqAction;
  reason?: string | undefined;
  selection: DlqActionSelection;
  dryRun: boolean;
  expectCount?: number | undefined;
}

/**
 * The items an action would touch: pending, visible to the actor, matching the selection, and with
 * no command of support's still on its way to the till (a second one would only come back "failed").
 * The dry run and the action run this same query, so the count confirmed is the count acted on.
 */
async function targets(
  sql: SqlRunner,
  request: DlqActionRequest,
  now: Date,
): Promise<{ terminalId: string; dlqItemId: string }[]> {
  const p = new SqlParams();
  const where = [
    `d.organization_id = ${p.add(request.membership.organizationId)}`,
    scopeSql([request.membership], p),
    "d.status = 'pending'",
    `NOT EXISTS (SELECT 1 FROM sync_commands c WHERE c.organization_id = d.organization_id
       AND c.terminal_id = d.terminal_id AND c.dlq_item_id = d.id AND c.acked_at IS NULL)`,
  ];
  const { selection } = request;
  if (selection.type === "items") {
    where.push(
      `(d.terminal_id, d.id) IN (SELECT * FROM unnest(${p.add(selection.items.map((i) => i.terminalId))}::text[], ${p.add(selection.items.map((i) => i.id))}::text[]))`,
    );
  } else if (selection.type === "group") {
    where.push(...filterSql({ ...selection.filter, fingerprint: selection.fingerprint }, p, now));
  } else {
    where.push(...filterSql(selection.filter, p, now));
  }
  const rows = await sql.query<{ terminal_id: string; id: string }>(
    `SELECT d.terminal_id, d.id FROM dlq_items d WHERE ${where.join(" AND ")}`,
    p.values,
  );
  return rows.map((r) => ({ terminalId: r.terminal_id, dlqItemId: r.id }));
}

/**
 * Retry or discard from the dashboard. A dry run only counts. Otherwise, in ONE transaction: the
 * commands (the sync mechanism of sync/commands.ts, delivered on each till's next sync), one audit
 * row per item, and the action's own audit log entry — all or none. Bulk SQL whatever the count
 * (10,000 items are three statements, not 10,000). Actions of one organization run one at a time
 * (a transaction-scoped advisory lock), so two people retrying the same group cannot both issue.
 */
export async function actOnDlq(
  sql: TransactionalSql,
  request: DlqActionRequest,
  now: Date,
): Promise<TDlqActionOutput> {
  if (request.action === "discard" && !request.reason?.trim()) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Say why the items are discarded: a discard without a reason is not accepted.",
      fieldErrors: { reason: ["Required for discard"] },
    });
  }
  const requestedOf = (found: number) =>
    request.selection.type === "items" ? request.selection.items.length : found;
  const checkCount = (found: number) => {
    if (request.expectCount !== undefined && request.expectCount !== found) {
      throw new AppError("VALIDATION_FAILED", {
        message: `The selection now holds ${found} items, not the ${request.expectCount} you confirmed: nothing was done. Check the count again.`,
        fieldErrors: { expectCount: [`Now ${found}`] },
      });
    }
  };
  if (request.dryRun) {
    const found = await targets(sql, request, now);
    checkCount(found.length);
    return {
      dryRun: true,
      actionId: null,
      requested: requestedOf(found.length),
      issued: found.length,
      skipped: requestedOf(found.length) - found.length,
    };
  }
  const organizationId = request.membership.organizationId;
  return sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`kassa.dlq_action:${organizationId}`]);
    const found = await targets(tx, request, now);
    checkCount(found.length);
    const actionId = randomUUID();
    const result = await issueDlqCommands(
      tx,
      {
        organizationId,
        items: found,
        action: request.action,
        ...(request.reason ? { reason: request.reason.trim() } : {}),
        actor: request.actor.email,
        actionId,
      },
      now,
    );
    const requested = requestedOf(found.length);
    const { selection } = request;
    await tx.query(
      `INSERT INTO dlq_actions (organization_id, id, action, selection, criteria, reason, actor_id, actor,
         requested, issued, skipped, store_ids, at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12::text[], $13)`,
      [
        organizationId,
        actionId,
        request.action,
        selection.type,
        JSON.stringify(
          selection.type === "items"
            ? { items: selection.items.length }
            : selection.type === "group"
              ? { fingerprint: selection.fingerprint, filter: selection.filter }
              : { filter: selection.filter },
        ),
        request.reason?.trim() ?? null,
        request.actor.id,
        request.actor.email,
        requested,
        result.issued,
        requested - result.issued,
        result.stores,
        now,
      ],
    );
    return { dryRun: false, actionId, requested, issued: result.issued, skipped: requested - result.issued };
  });
}
