import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { revokeInvitation } from "./people.ts";
import { ZRevokeInvitationInput, ZRevokeInvitationOutput } from "./people.types.ts";

export const revokeInvitationProcedure = permitted("people.manage")
  .input(ZRevokeInvitationInput)
  .output(ZRevokeInvitationOutput)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return revokeInvitation(ctx.db, membership, actor, input, ctx.now());
  });
