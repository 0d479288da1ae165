import { dashboardProcedure } from "./dashboard-procedure.ts";
import { listFleet } from "./fleet.ts";
import { ZListFleetInput, ZListFleetOutput } from "./list-fleet.types.ts";

export const listFleetProcedure = dashboardProcedure
  .input(ZListFleetInput)
  .output(ZListFleetOutput)
  .query(async ({ ctx, input }) => {
    const asOf = ctx.now();
    const terminals = await listFleet(ctx.db, ctx.scope, { storeId: input?.storeId }, asOf);
    return { terminals, asOf };
  });
