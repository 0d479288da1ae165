import { SqlParams, scopeSql } from "../dlq/dlq-sql.ts";
import { permitted } from "../permissions.ts";
import { ZCountAlertsInput, ZCountAlertsOutput } from "./count-alerts.types.ts";

/**
 * `alerts.count`: the shell's badge, polled on every page, so it reads only the partial index of
 * firing alerts (alerts_firing_store_idx), scoped like every dashboard view.
 */
export const countAlertsProcedure = permitted("alerts.view")
  .input(ZCountAlertsInput)
  .output(ZCountAlertsOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const where = [scopeSql(ctx.scope.memberships, p, "a"), "a.resolved_at IS NULL"];
    if (input?.storeId) where.push(`a.store_id = ${p.add(input.storeId)}`);
    const [row] = await ctx.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alerts a WHERE ${where.join(" AND ")}`,
      p.values,
    );
    return { firing: Number(row?.n ?? 0) };
  });
