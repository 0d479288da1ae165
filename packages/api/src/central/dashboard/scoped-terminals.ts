import type { CentralDatabase } from "../context.ts";
import { SqlParams, scopeSql } from "./dlq/dlq-sql.ts";
import type { DashboardScope } from "./scope.ts";

export interface ScopedTerminal {
  organizationId: string;
  id: string;
  name: string;
  storeId: string;
  store: { name: string; timezone: string };
}

/**
 * The terminals the user may see (tenancy through scopeSql, the SQL spelling of scopeWhere),
 * optionally one store's or one till. One keyed statement rather than Prisma's terminals-then-stores
 * reads: the breaker, cash and RUM pages of a chain ask for ~500 tills on every call.
 */
export async function scopedTerminals(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: { storeId?: string | undefined; terminalId?: string | undefined },
): Promise<ScopedTerminal[]> {
  const p = new SqlParams();
  const where = [scopeSql(scope.memberships, p, "t")];
  if (filter.storeId) where.push(`t.store_id = ${p.add(filter.storeId)}`);
  if (filter.terminalId) where.push(`t.id = ${p.add(filter.terminalId)}`);
  const rows = await db.sql.query<{
    organization_id: string;
    id: string;
    name: string;
    store_id: string;
    store_name: string;
    timezone: string;
  }>(
    `SELECT t.organization_id, t.id, t.name, t.store_id, s.name AS store_name, s.timezone
     FROM terminals t JOIN stores s ON s.organization_id = t.organization_id AND s.id = t.store_id
     WHERE ${where.join(" AND ")}
     ORDER BY t.organization_id, t.store_id, t.name, t.id`,
    p.values,
  );
  return rows.map((r) => ({
    organizationId: r.organization_id,
    id: r.id,
    name: r.name,
    storeId: r.store_id,
    store: { name: r.store_name, timezone: r.timezone },
  }));
}
