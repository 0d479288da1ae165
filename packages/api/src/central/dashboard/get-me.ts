import { ZGetMeOutput } from "./get-me.types.ts";
import { getMe } from "./me.ts";
import { permitted } from "./permissions.ts";

export const getMeProcedure = permitted("profile.view")
  .output(ZGetMeOutput)
  .query(({ ctx }) => getMe(ctx.db, ctx.user, ctx.scope));
