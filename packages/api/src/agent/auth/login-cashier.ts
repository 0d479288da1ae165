import { posProcedure } from "../trpc.ts";
import { ZLoginInput, ZLoginOutput } from "./login-cashier.types.ts";

/** Offline PIN login against the cached cashier list; 5 failures lock the cashier for a while. */
export const loginCashier = posProcedure
  .input(ZLoginInput)
  .output(ZLoginOutput)
  .mutation(({ ctx, input }) => ctx.services.auth.login(input));
