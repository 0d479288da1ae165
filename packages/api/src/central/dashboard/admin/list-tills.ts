import { permitted } from "../permissions.ts";
import { ZListTillsInput, ZListTillsOutput } from "./till.types.ts";
import { listTills } from "./tills.ts";

export const listTillsProcedure = permitted("tills.view")
  .input(ZListTillsInput)
  .output(ZListTillsOutput)
  .query(async ({ ctx, input }) => ({ tills: await listTills(ctx.db, ctx.scope, input) }));
