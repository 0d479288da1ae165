import { listFleet } from "./fleet.ts";
import { ZListFleetInput, ZListFleetOutput } from "./list-fleet.types.ts";
import { permitted } from "./permissions.ts";

export const listFleetProcedure = permitted("fleet.view")
  .input(ZListFleetInput)
  .output(ZListFleetOutput)
  .query(async ({ ctx, input }) => {
    const asOf = ctx.now();
    const terminals = await listFleet(ctx.db, ctx.scope, { storeId: input?.storeId }, asOf);
    return { terminals, asOf };
  });
