import { posProcedure } from "../trpc.ts";
import { ZMoveCashInput, ZMoveCashOutput } from "./move-cash.types.ts";

/** Cash in or out of the drawer with a reason: one append-only journal entry. */
export const moveCash = posProcedure
  .input(ZMoveCashInput)
  .output(ZMoveCashOutput)
  .mutation(({ ctx, input }) => ctx.services.cash.move(input));
