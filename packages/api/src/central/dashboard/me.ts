import type { CentralDatabase } from "../context.ts";
import type { DashboardUser } from "./dashboard-procedure.ts";
import type { TGetMeOutput } from "./get-me.types.ts";
import { type DashboardScope, scopeWhere } from "./scope.ts";

/** Who is signed in, their memberships, and the stores they may see (for filters and headers). */
export async function getMe(
  db: CentralDatabase,
  user: DashboardUser,
  scope: DashboardScope,
): Promise<TGetMeOutput> {
  // Stores have no store_id column, so the scope's store filter maps onto their id.
  const stores = await db.prisma.store.findMany({
    where: {
      OR: scopeWhere(scope).OR.map(({ organizationId, storeId }) => ({
        organizationId,
        ...(storeId ? { id: storeId } : {}),
      })),
    },
    select: { organizationId: true, id: true, name: true, timezone: true },
    orderBy: [{ organizationId: "asc" }, { name: "asc" }],
  });
  return { user, memberships: scope.memberships, stores };
}
