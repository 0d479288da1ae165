import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { ZAdminTill, ZRetireTillInput } from "./till.types.ts";
import { retireTill } from "./tills.ts";

export const retireTillProcedure = permitted("tills.manage")
  .input(ZRetireTillInput)
  .output(ZAdminTill)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return retireTill(ctx.db, membership, actor, input, ctx.now());
  });
