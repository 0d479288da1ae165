import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { ZAdminStore, ZCreateStoreInput } from "./store.types.ts";
import { createStore } from "./stores.ts";

export const createStoreProcedure = permitted("stores.manage")
  .input(ZCreateStoreInput)
  .output(ZAdminStore)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return createStore(ctx.db, membership, actor, input, ctx.now());
  });
