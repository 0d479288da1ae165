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
  const user = await ctx.db.prisma.user.findUnique({
    where: { id: session.userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        select: {
          organizationId: true,
          role: true,
          storeIds: true,
          organization: { select: { name: true } },
        },
        orderBy: { organizationId: "asc" },
      },
    },
  });
  if (!user) {
    throw new AppError("UNAUTHORIZED", {
      message: "This account no longer exists: sign in with another one.",
    });
  }
  if (user.memberships.length === 0) {
    throw new AppError("FORBIDDEN", {
      message: "Your account belongs to no organization yet: ask an owner to add you.",
    });
  }
  const scope: DashboardScope = {
    userId: user.id,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationName: m.organization.name,
      role: m.role,
      storeIds: membershipStores(m.role, m.storeIds),
    })),
  };
  const dashboardUser: DashboardUser = { id: user.id, email: user.email, name: user.name };
  return next({ ctx: { ...ctx, user: dashboardUser, scope } });
});
