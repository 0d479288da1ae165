import type { Role } from "@kassa/db/central";

/**
 * One organization the user belongs to, with the stores the role covers: null = all of them, an
 * empty list = none (fails closed: a manager whose stores were all taken away sees nothing).
 */
export interface MembershipScope {
  organizationId: string;
  organizationName: string;
  role: Role;
  storeIds: string[] | null;
}

/** What a dashboard user may see. Built once per request by dashboardProcedure. */
export interface DashboardScope {
  userId: string;
  memberships: MembershipScope[];
}

/**
 * The stores a membership covers, from its stored `store_ids`: a non-empty list is exactly those
 * stores, for any role. An empty list means the whole organization only for owners and support
 * (organization-wide roles); for a manager — a store-scoped role — it means no store at all.
 */
export function membershipStores(role: Role, storeIds: readonly string[]): string[] | null {
  if (storeIds.length > 0) return [...storeIds];
  return role === "manager" ? [] : null;
}

/** A filter row shared by terminals and receipts: both carry organization_id and store_id. */
export type ScopeFilter = { organizationId: string; storeId?: { in: string[] } };

/**
 * The tenancy rule, in one place: a Prisma `where` fragment matching the rows of the user's
 * organizations, narrowed to their stores for store-scoped memberships. Every dashboard query on
 * terminals or receipts ANDs this in.
 */
export function scopeWhere(scope: DashboardScope): { OR: ScopeFilter[] } {
  return {
    OR: scope.memberships.map((m) =>
      m.storeIds === null
        ? { organizationId: m.organizationId }
        : { organizationId: m.organizationId, storeId: { in: m.storeIds } },
    ),
  };
}

/** Whether a row of (organization, store) is visible in `scope`. */
export function scopeAllows(scope: DashboardScope, organizationId: string, storeId: string): boolean {
  return scope.memberships.some(
    (m) => m.organizationId === organizationId && (m.storeIds === null || m.storeIds.includes(storeId)),
  );
}
