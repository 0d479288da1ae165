import { permitted } from "../permissions.ts";
import { errorCodeOf, filterSql, normaliseErrorMessage, SqlParams, scopeSql } from "./dlq-sql.ts";
import { ZListDlqGroupsInput, ZListDlqGroupsOutput } from "./list-dlq-groups.types.ts";

interface GroupRow {
  organization_id: string;
  fingerprint: string;
  items: bigint;
  tills: bigint;
  first_seen: Date;
  last_seen: Date;
  example: string;
  kinds: string[];
  groups: bigint;
}

/** The DLQ by cause: items grouped by error fingerprint, largest first, with how many tills it hit. */
export const listDlqGroupsProcedure = permitted("dlq.view")
  .input(ZListDlqGroupsInput)
  .output(ZListDlqGroupsOutput)
  .query(async ({ ctx, input }) => {
    const p = new SqlParams();
    const where = [scopeSql(ctx.scope.memberships, p), ...filterSql(input, p, ctx.now())];
    if (input.state !== "all") where.push(`d.status = ${p.add(input.state)}`);
    const rows = await ctx.db.sql.query<GroupRow>(
      `SELECT d.organization_id, d.fingerprint, count(*) AS items, count(DISTINCT d.terminal_id) AS tills,
         min(d.created_at) AS first_seen, max(d.updated_at) AS last_seen,
         (array_agg(d.reason ORDER BY d.updated_at DESC, d.id DESC))[1] AS example,
         array_agg(DISTINCT d.item_kind ORDER BY d.item_kind) AS kinds,
         count(*) OVER () AS groups
       FROM dlq_items d
       WHERE ${where.join(" AND ")}
       GROUP BY d.organization_id, d.fingerprint
       ORDER BY count(*) DESC, max(d.updated_at) DESC, d.fingerprint
       LIMIT ${p.add(input.limit)}`,
      p.values,
    );
    return {
      groups: rows.map((r) => ({
        organizationId: r.organization_id,
        fingerprint: r.fingerprint,
        errorCode: errorCodeOf(r.fingerprint),
        message: normaliseErrorMessage(r.example),
        example: r.example,
        kinds: r.kinds,
        items: Number(r.items),
        tills: Number(r.tills),
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
      })),
      total: Number(rows[0]?.groups ?? 0),
    };
  });
