import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { inviteMember } from "./people.ts";
import { ZInviteMemberInput, ZInviteMemberOutput } from "./people.types.ts";

export const inviteMemberProcedure = permitted("people.manage")
  .input(ZInviteMemberInput)
  .output(ZInviteMemberOutput)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return inviteMember(ctx.db, membership, actor, input, ctx.now());
  });
