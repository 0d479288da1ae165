import type { Role } from "@kassa/db/central";
import { AppError } from "../../errors.ts";
import { sessionFromContext } from "../auth/session-from-context.ts";
import { publicProcedure } from "../trpc.ts";
import { type DashboardScope, membershipStores } from "./scope.ts";

export interface DashboardUser {
  id: string;
  email: string;
  name: string;
}

/**
 * Dashboard procedures: a session cookie naming a live session row, a user that still exists, and at least one
 * membership. Handlers receive `ctx.user` and `ctx.scope`, and query only through scopeWhere —
 * the single place tenancy is decided.
 */
export const dashboardProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const session = await sessionFromContext(ctx);
  if (!session) {
    throw new AppError("UNAUTHORIZED", { message: "Your session has ended or is missing: sign in again." });
  }
  // One indexed statement (the user, then a row per membership) rather than Prisma's nested read:
  // it runs before every dashboard call, where the client's query engine cost ~2 ms of CPU.
  const rows = await ctx.db.sql.query<{
    id: string;
    email: string;
    name: string;
    organization_id: string | null;
    organization_name: string | null;
    role: Role | null;
    store_ids: string[] | null;
  }>(
    `SELECT u.id, u.email, u.name, m.organization_id, o.name AS organization_name, m.role::text AS role, m.store_ids
     FROM users u
     LEFT JOIN memberships m ON m.user_id = u.id
     LEFT JOIN organizations o ON o.id = m.organization_id
     WHERE u.id = $1
     ORDER BY m.organization_id COLLATE "C"`,
    [session.userId],
  );
  const user = rows[0];
  if (!user) {
    throw new AppError("UNAUTHORIZED", {
      message: "This account no longer exists: sign in with another one.",
    });
  }
  const memberships = rows.filter((m) => m.organization_id !== null);
  if (memberships.length === 0) {
    throw new AppError("FORBIDDEN", {
      message: "Your account belongs to no organization yet: ask an owner to add you.",
    });
  }
  const scope: DashboardScope = {
    userId: user.id,
    memberships: memberships.map((m) => ({
      organizationId: m.organization_id!,
      organizationName: m.organization_name!,
      role: m.role!,
      storeIds: membershipStores(m.role!, m.store_ids ?? []),
    })),
  };
  const dashboardUser: DashboardUser = { id: user.id, email: user.email, name: user.name };
  return next({ ctx: { ...ctx, user: dashboardUser, scope } });
});
