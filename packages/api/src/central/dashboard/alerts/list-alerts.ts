import { ALERT_UNITS } from "../../alerts/rules.ts";
import { SqlParams, scopeSql } from "../dlq/dlq-sql.ts";
import { permitted } from "../permissions.ts";
import { type AlertRuleName, alertFilterSql, decodeAlertCursor, encodeAlertCursor } from "./alerts-sql.ts";
import { type TAlertView, ZListAlertsInput, ZListAlertsOutput } from "./list-alerts.types.ts";

interface AlertRow {
  organization_id: string;
  id: string;
  rule: AlertRuleName;
  terminal_id: string | null;
  terminal_name: string | null;
  store_id: string | null;
  store_name: string | null;
  destination: string | null;
  fired_at: Date;
  resolved_at: Date | null;
  value: number;
  threshold: number;
}

/** The alerts the user may see (their organizations, narrowed to their stores), newest first, a keyset page at a time. */
export const listAlertsProcedure = permitted("alerts.view")
  .input(ZListAlertsInput)
  .output(ZListAlertsOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const where = [scopeSql(ctx.scope.memberships, p, "a"), ...alertFilterSql(input, p)];
    if (input.state === "firing") where.push("a.resolved_at IS NULL");
    if (input.state === "resolved") where.push("a.resolved_at IS NOT NULL");
    const counted = ctx.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alerts a WHERE ${where.join(" AND ")}`,
      [...p.values],
    );
    if (input.cursor) {
      const after = decodeAlertCursor(input.cursor);
      where.push(`(a.fired_at, a.id) < (${p.add(after.firedAt)}, ${p.add(after.id)})`);
    }
    const rows = await ctx.db.sql.query<AlertRow>(
      `SELECT a.organization_id, a.id, a.rule, a.terminal_id, t.name AS terminal_name, a.store_id,
         s.name AS store_name, a.destination, a.fired_at, a.resolved_at, a.value, a.threshold
       FROM alerts a
       LEFT JOIN terminals t ON t.organization_id = a.organization_id AND t.id = a.terminal_id
       LEFT JOIN stores s ON s.organization_id = a.organization_id AND s.id = a.store_id
       WHERE ${where.join(" AND ")}
       ORDER BY a.fired_at DESC, a.id DESC
       LIMIT ${p.add(input.limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map(toView),
      total: Number((await counted)[0]?.n ?? 0),
      nextCursor:
        rows.length > input.limit && last ? encodeAlertCursor({ firedAt: last.fired_at, id: last.id }) : null,
    };
  });

function toView(row: AlertRow): TAlertView {
  return {
    organizationId: row.organization_id,
    id: row.id,
    rule: row.rule,
    terminalId: row.terminal_id,
    terminalName: row.terminal_name ?? row.terminal_id,
    storeId: row.store_id,
    storeName: row.store_name ?? row.store_id,
    destination: row.destination,
    firedAt: new Date(row.fired_at),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
    value: Number(row.value),
    threshold: Number(row.threshold),
    unit: ALERT_UNITS[row.rule],
  };
}
