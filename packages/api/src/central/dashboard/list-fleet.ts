import { listFleet } from "./fleet.ts";
import { ZListFleetInput, ZListFleetOutput } from "./list-fleet.types.ts";
import { permitted } from "./permissions.ts";

/**
 * `fleet.list`: every till in scope, broken ones first, and the summary strip. Reads one row per
 * till from the counters ingest keeps (never counts DLQ items, receipts or transitions), so the
 * page can poll it (apps/admin README: why polling).
 */
export const listFleetProcedure = permitted("fleet.view")
  .input(ZListFleetInput)
  .output(ZListFleetOutput)
  .query(async ({ ctx, input }) => {
    const asOf = ctx.now();
    const fleet = await listFleet(ctx.db, ctx.scope, { storeId: input?.storeId }, asOf);
    return { ...fleet, asOf };
  });
