import { z } from "zod";
import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { updateMember } from "./people.ts";
import { ZUpdateMemberInput } from "./people.types.ts";

export const updateMemberProcedure = permitted("people.manage")
  .input(ZUpdateMemberInput)
  .output(z.object({ updated: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    await updateMember(ctx.db, membership, actor, input, ctx.now());
    return { updated: true as const };
  });
