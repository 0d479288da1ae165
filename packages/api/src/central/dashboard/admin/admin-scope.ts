import { AppError } from "../../../errors.ts";
import type { DashboardScope, MembershipScope } from "../scope.ts";

/**
 * The membership an admin change acts through: the one in `organizationId`, or the user's only one
 * when the page names none. `scope` is already narrowed by `permitted(…)` to the memberships whose
 * role holds the permission, so an organization outside it is NOT_FOUND (its existence is not told).
 */
export function actingMembership(scope: DashboardScope, organizationId: string | undefined): MembershipScope {
  if (organizationId !== undefined) {
    const membership = scope.memberships.find((m) => m.organizationId === organizationId);
    if (!membership) {
      throw new AppError("NOT_FOUND", {
        message: `Organization ${organizationId} is not one you administer: pick one of yours.`,
      });
    }
    return membership;
  }
  const [only, ...others] = scope.memberships;
  if (!only || others.length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "You belong to several organizations: say which one this change is for.",
      fieldErrors: { organizationId: ["Required when you belong to several organizations"] },
    });
  }
  return only;
}

/** Whether a store-scoped membership covers `storeId` (null scope = every store). */
export function coversStore(membership: MembershipScope, storeId: string): boolean {
  return membership.storeIds === null || membership.storeIds.includes(storeId);
}
