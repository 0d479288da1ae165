import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { ZRotateTillKeyInput, ZTillKeyOutput } from "./till.types.ts";
import { rotateTillKey } from "./tills.ts";

export const rotateTillKeyProcedure = permitted("tills.manage")
  .input(ZRotateTillKeyInput)
  .output(ZTillKeyOutput)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return rotateTillKey(ctx.db, membership, actor, input, ctx.now());
  });
