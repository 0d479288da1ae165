import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { ZAdminStore, ZUpdateStoreInput } from "./store.types.ts";
import { updateStore } from "./stores.ts";

export const updateStoreProcedure = permitted("stores.manage")
  .input(ZUpdateStoreInput)
  .output(ZAdminStore)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return updateStore(ctx.db, membership, actor, input, ctx.now());
  });
