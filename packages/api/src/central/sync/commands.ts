import { randomUUID } from "node:crypto";
import { AppError } from "../../errors.ts";
import { accepted, duplicate, type ItemResult, rejected } from "./item-result.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export type DlqAction = "retry" | "discard";

/** A support action on its way to a terminal. */
export interface SyncCommandOut {
  id: string;
  action: DlqAction;
  dlqItemId: string;
  reason: string | null;
}

export interface IssueDlqCommandInput {
  organizationId: string;
  terminalId: string;
  dlqItemId: string;
  action: DlqAction;
  /** Required for discard: why the item will never be delivered. */
  reason?: string;
  /** Who asked (user id or email), for the audit trail. */
  actor: string;
}

/**
 * Queues a retry or discard of one DLQ item for its terminal (the dashboard's action). The
 * terminal receives it with its next sync answer, applies it once and acknowledges it; both ends
 * are audited.
 */
export async function issueDlqCommand(
  sql: SqlRunner,
  input: IssueDlqCommandInput,
  now: Date,
): Promise<string> {
  if (input.action === "discard" && !input.reason?.trim()) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Say why the item is discarded: a discard without a reason is not accepted.",
      fieldErrors: { reason: ["Required for discard"] },
    });
  }
  const item = await sql.query<{ id: string }>(
    "SELECT id FROM dlq_items WHERE organization_id = $1 AND terminal_id = $2 AND id = $3",
    [input.organizationId, input.terminalId, input.dlqItemId],
  );
  if (item.length === 0) {
    throw new AppError("NOT_FOUND", {
      message: `DLQ item ${input.dlqItemId} of terminal ${input.terminalId} is not known here; refresh the list.`,
    });
  }
  const id = randomUUID();
  await sql.query(
    `INSERT INTO sync_commands (organization_id, terminal_id, id, dlq_item_id, action, reason, issued_by, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      input.organizationId,
      input.terminalId,
      id,
      input.dlqItemId,
      input.action,
      input.reason ?? null,
      input.actor,
      now,
    ],
  );
  await audit(sql, {
    organizationId: input.organizationId,
    terminalId: input.terminalId,
    dlqItemId: input.dlqItemId,
    commandId: id,
    event: `${input.action}_issued`,
    actor: input.actor,
    reason: input.reason ?? null,
    at: now,
  });
  return id;
}

export interface CommandAckItem {
  id: string;
  data: { commandId: string; outcome: "applied" | "not_found"; appliedAt: string };
}

export async function storeCommandAcks(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly CommandAckItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  for (const item of items) {
    const rows = await sql.query<{ dlq_item_id: string; action: string }>(
      `UPDATE sync_commands SET acked_at = $4, outcome = $5
       WHERE organization_id = $1 AND terminal_id = $2 AND id = $3 AND acked_at IS NULL
       RETURNING dlq_item_id, action`,
      [terminal.organizationId, terminal.id, item.data.commandId, item.data.appliedAt, item.data.outcome],
    );
    const row = rows[0];
    if (row) {
      await audit(sql, {
        organizationId: terminal.organizationId,
        terminalId: terminal.id,
        dlqItemId: row.dlq_item_id,
        commandId: item.data.commandId,
        event: `${row.action}_${item.data.outcome}`,
        actor: `terminal:${terminal.id}`,
        reason: null,
        at: new Date(item.data.appliedAt),
      });
      results.set(item.id, accepted("command_ack", item.id));
      continue;
    }
    const known = await sql.query(
      "SELECT 1 FROM sync_commands WHERE organization_id = $1 AND terminal_id = $2 AND id = $3",
      [terminal.organizationId, terminal.id, item.data.commandId],
    );
    results.set(
      item.id,
      known.length > 0
        ? duplicate("command_ack", item.id)
        : rejected(
            "command_ack",
            item.id,
            "COMMAND_UNKNOWN",
            `Command ${item.data.commandId} was not issued to this terminal.`,
          ),
    );
  }
  return results;
}

async function audit(
  sql: SqlRunner,
  entry: {
    organizationId: string;
    terminalId: string;
    dlqItemId: string;
    commandId: string;
    event: string;
    actor: string;
    reason: string | null;
    at: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO sync_audit (organization_id, id, terminal_id, dlq_item_id, command_id, event, actor, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.organizationId,
      randomUUID(),
      entry.terminalId,
      entry.dlqItemId,
      entry.commandId,
      entry.event,
      entry.actor,
      entry.reason,
      entry.at,
    ],
  );
}

/**
 * Queues the same action for many DLQ items at once (the dashboard's bulk retry / discard): one
 * statement for the commands and one for the audit rows, whatever the count. Items not in the
 * mirror (or of another organization) are skipped and reported, with the stores of those issued.
 * Pass a transaction's runner to write the commands and their audit rows together.
 */
export async function issueDlqCommands(
  sql: SqlRunner,
  input: {
    organizationId: string;
    items: readonly { terminalId: string; dlqItemId: string }[];
    action: DlqAction;
    reason?: string;
    actor: string;
    /** The dashboard action (dlq_actions) they belong to: written on each command and audit row. */
    actionId?: string;
  },
  now: Date,
): Promise<{ issued: number; skipped: number; stores: string[] }> {
  if (input.action === "discard" && !input.reason?.trim()) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Say why the items are discarded: a discard without a reason is not accepted.",
      fieldErrors: { reason: ["Required for discard"] },
    });
  }
  const ids = input.items.map(() => randomUUID());
  const rows = await sql.query<{ id: string; terminal_id: string; dlq_item_id: string; store_id: string }>(
    `WITH issued AS (
       INSERT INTO sync_commands (organization_id, terminal_id, id, dlq_item_id, action, reason, issued_by, issued_at, action_id)
       SELECT $1, v.terminal_id, v.id, v.dlq_item_id, $2, $3, $4, $5, $9
       FROM unnest($6::text[], $7::text[], $8::text[]) AS v(terminal_id, dlq_item_id, id)
       WHERE EXISTS (SELECT 1 FROM dlq_items d WHERE d.organization_id = $1 AND d.terminal_id = v.terminal_id AND d.id = v.dlq_item_id)
       RETURNING id, terminal_id, dlq_item_id)
     SELECT i.id, i.terminal_id, i.dlq_item_id, d.store_id
     FROM issued i JOIN dlq_items d ON d.organization_id = $1 AND d.terminal_id = i.terminal_id AND d.id = i.dlq_item_id`,
    [
      input.organizationId,
      input.action,
      input.reason ?? null,
      input.actor,
      now,
      input.items.map((i) => i.terminalId),
      input.items.map((i) => i.dlqItemId),
      ids,
      input.actionId ?? null,
    ],
  );
  if (rows.length > 0) {
    await sql.query(
      `INSERT INTO sync_audit (organization_id, id, terminal_id, dlq_item_id, command_id, event, actor, reason, at, action_id)
       SELECT $1, v.audit_id, v.terminal_id, v.dlq_item_id, v.command_id, $2, $3, $4, $5, $10
       FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) AS v(audit_id, terminal_id, dlq_item_id, command_id)`,
      [
        input.organizationId,
        `${input.action}_issued`,
        input.actor,
        input.reason ?? null,
        now,
        rows.map(() => randomUUID()),
        rows.map((r) => r.terminal_id),
        rows.map((r) => r.dlq_item_id),
        rows.map((r) => r.id),
        input.actionId ?? null,
      ],
    );
  }
  return {
    issued: rows.length,
    skipped: input.items.length - rows.length,
    stores: [...new Set(rows.map((r) => r.store_id))].sort(),
  };
}
