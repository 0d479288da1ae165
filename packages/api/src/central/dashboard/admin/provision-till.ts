import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { ZProvisionTillInput, ZTillKeyOutput } from "./till.types.ts";
import { provisionTill } from "./tills.ts";

export const provisionTillProcedure = permitted("tills.manage")
  .input(ZProvisionTillInput)
  .output(ZTillKeyOutput)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return provisionTill(ctx.db, membership, actor, input, ctx.now());
  });
