import { permitted } from "../permissions.ts";
import {
  COMMAND_COLUMNS,
  type CommandRow,
  commandView,
  decodeDlqCursor,
  encodeDlqCursor,
  errorCodeOf,
  filterSql,
  LATEST_COMMAND_JOIN,
  SqlParams,
  scopeSql,
} from "./dlq-sql.ts";
import { type TDlqItemSummary, ZListDlqItemsInput, ZListDlqItemsOutput } from "./list-dlq-items.types.ts";

interface ItemRow extends CommandRow {
  organization_id: string;
  terminal_id: string;
  terminal_name: string | null;
  store_id: string;
  store_name: string | null;
  id: string;
  destination: string;
  item_kind: string;
  item_id: string;
  status: TDlqItemSummary["state"];
  fingerprint: string;
  reason: string;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  discard_reason: string | null;
}

/** The DLQ items the user may see, newest first, filtered, a keyset page at a time. */
export const listDlqItemsProcedure = permitted("dlq.view")
  .input(ZListDlqItemsInput)
  .output(ZListDlqItemsOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const where = [scopeSql(ctx.scope.memberships, p), ...filterSql(input, p, ctx.now())];
    if (input.state !== "all") where.push(`d.status = ${p.add(input.state)}`);
    const countParams = p.values.length;
    const counted = ctx.db.sql.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM dlq_items d WHERE ${where.join(" AND ")}`,
      p.values.slice(0, countParams),
    );
    if (input.cursor) {
      const after = decodeDlqCursor(input.cursor);
      where.push(
        `(d.created_at, d.terminal_id, d.id) < (${p.add(after.createdAt)}, ${p.add(after.terminalId)}, ${p.add(after.id)})`,
      );
    }
    const rows = await ctx.db.sql.query<ItemRow>(
      `SELECT d.organization_id, d.terminal_id, t.name AS terminal_name, d.store_id, s.name AS store_name, d.id,
         d.destination, d.item_kind, d.item_id, d.status, d.fingerprint, d.reason, d.attempts, d.created_at,
         d.updated_at, d.discard_reason, ${COMMAND_COLUMNS}
       FROM dlq_items d
       LEFT JOIN terminals t ON t.organization_id = d.organization_id AND t.id = d.terminal_id
       LEFT JOIN stores s ON s.organization_id = d.organization_id AND s.id = d.store_id
       ${LATEST_COMMAND_JOIN}
       WHERE ${where.join(" AND ")}
       ORDER BY d.created_at DESC, d.terminal_id DESC, d.id DESC
       LIMIT ${p.add(input.limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map(toSummary),
      total: Number((await counted)[0]?.n ?? 0),
      nextCursor:
        rows.length > input.limit && last
          ? encodeDlqCursor({ createdAt: last.created_at, terminalId: last.terminal_id, id: last.id })
          : null,
    };
  });

function toSummary(row: ItemRow): TDlqItemSummary {
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
    command: commandView(row),
  };
}
