import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { removeMember } from "./people.ts";
import { ZRemoveMemberInput, ZRemoveMemberOutput } from "./people.types.ts";

export const removeMemberProcedure = permitted("people.manage")
  .input(ZRemoveMemberInput)
  .output(ZRemoveMemberOutput)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return removeMember(ctx.db, membership, actor, input, ctx.now());
  });
