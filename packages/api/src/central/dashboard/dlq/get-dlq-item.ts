import { AppError } from "../../../errors.ts";
import { readDlqPayload } from "../../sync/store-dlq-mirror.ts";
import { permitted } from "../permissions.ts";
import { commandView, errorCodeOf, SqlParams, scopeSql } from "./dlq-sql.ts";
import { ZGetDlqItemInput, ZGetDlqItemOutput } from "./get-dlq-item.types.ts";

interface DetailRow {
  organization_id: string;
  terminal_id: string;
  terminal_name: string | null;
  store_id: string;
  store_name: string | null;
  id: string;
  destination: string;
  item_kind: string;
  item_id: string;
  status: "pending" | "retried" | "discarded";
  fingerprint: string;
  reason: string;
  attempts: number;
  errors: unknown;
  payload: Uint8Array;
  created_at: Date;
  updated_at: Date;
  discard_reason: string | null;
}

interface CommandRow {
  id: string;
  action: "retry" | "discard";
  reason: string | null;
  issued_by: string;
  issued_at: Date;
  delivered_at: Date | null;
  acked_at: Date | null;
  outcome: string | null;
}

/** One DLQ item for a person: its payload pretty-printed, its error history, its commands and audit. */
export const getDlqItemProcedure = permitted("dlq.view")
  .input(ZGetDlqItemInput)
  .output(ZGetDlqItemOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const [row] = await ctx.db.sql.query<DetailRow>(
      `SELECT d.*, t.name AS terminal_name, s.name AS store_name
       FROM dlq_items d
       LEFT JOIN terminals t ON t.organization_id = d.organization_id AND t.id = d.terminal_id
       LEFT JOIN stores s ON s.organization_id = d.organization_id AND s.id = d.store_id
       WHERE d.terminal_id = ${p.add(input.terminalId)} AND d.id = ${p.add(input.id)}
         AND ${scopeSql(ctx.scope.memberships, p)}`,
      p.values,
    );
    // Another store's or organization's item is answered exactly like one that does not exist.
    if (!row) {
      throw new AppError("NOT_FOUND", {
        message: `DLQ item ${input.id} of terminal ${input.terminalId} is not known here; refresh the list.`,
      });
    }
    const key = [row.organization_id, row.terminal_id, row.id];
    const [commands, audit] = await Promise.all([
      ctx.db.sql.query<CommandRow>(
        `SELECT id, action, reason, issued_by, issued_at, delivered_at, acked_at, outcome FROM sync_commands
         WHERE organization_id = $1 AND terminal_id = $2 AND dlq_item_id = $3 ORDER BY issued_at, id`,
        key,
      ),
      ctx.db.sql.query<{
        at: Date;
        event: string;
        actor: string;
        reason: string | null;
        command_id: string;
        action_id: string | null;
      }>(
        `SELECT at, event, actor, reason, command_id, action_id FROM sync_audit
         WHERE organization_id = $1 AND terminal_id = $2 AND dlq_item_id = $3 ORDER BY at, id`,
        key,
      ),
    ]);
    const payload = readDlqPayload(row.payload);
    const errors = Array.isArray(row.errors) ? (row.errors as { at?: unknown; message?: unknown }[]) : [];
    return {
      organizationId: row.organization_id,
      terminalId: row.terminal_id,
      terminalName: row.terminal_name ?? row.terminal_id,
      storeId: row.store_id,
      storeName: row.store_name ?? row.store_id,
      id: row.id,
      destination: row.destination,
      kind: row.item_kind,
      itemId: row.item_id,
      state: row.status,
      errorCode: errorCodeOf(row.fingerprint),
      fingerprint: row.fingerprint,
      reason: row.reason,
      attempts: row.attempts,
      deadAt: row.created_at,
      updatedAt: row.updated_at,
      discardReason: row.discard_reason,
      command: commandViewOf(commands.at(-1)),
      payload: {
        text: payload.text,
        pretty: payload.pretty,
        isJson: payload.json !== undefined,
        bytes: row.payload.byteLength,
      },
      // The till keeps the last 20 errors: the latest is attempt `attempts`, the ones before count back.
      errors: errors.map((e, i) => ({
        attempt: Math.max(1, row.attempts - (errors.length - 1 - i)),
        at: String(e.at ?? ""),
        message: String(e.message ?? ""),
      })),
      commands: commands.map((c) => commandViewOf(c)!),
      audit: audit.map((a) => ({
        at: a.at,
        event: a.event,
        actor: a.actor,
        reason: a.reason,
        commandId: a.command_id,
        actionId: a.action_id,
      })),
    };
  });

function commandViewOf(c: CommandRow | undefined) {
  if (!c) return null;
  return commandView({
    command_id: c.id,
    command_action: c.action,
    command_reason: c.reason,
    command_issued_by: c.issued_by,
    command_issued_at: c.issued_at,
    command_delivered_at: c.delivered_at,
    command_acked_at: c.acked_at,
    command_outcome: c.outcome,
  });
}
