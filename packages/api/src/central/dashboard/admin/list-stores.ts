import { permitted } from "../permissions.ts";
import { ZListStoresInput, ZListStoresOutput } from "./store.types.ts";
import { listStores } from "./stores.ts";

export const listStoresProcedure = permitted("stores.view")
  .input(ZListStoresInput)
  .output(ZListStoresOutput)
  .query(async ({ ctx, input }) => ({ stores: await listStores(ctx.db, ctx.scope, input.organizationId) }));
