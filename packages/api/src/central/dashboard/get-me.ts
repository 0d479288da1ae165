import { dashboardProcedure } from "./dashboard-procedure.ts";
import { ZGetMeOutput } from "./get-me.types.ts";
import { getMe } from "./me.ts";

export const getMeProcedure = dashboardProcedure
  .output(ZGetMeOutput)
  .query(({ ctx }) => getMe(ctx.db, ctx.user, ctx.scope));
