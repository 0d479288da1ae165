import { cashiersForTerminal } from "../sync/cashiers.ts";
import { terminalProcedure } from "../trpc.ts";
import { ZPullCashiersInput, ZPullCashiersOutput } from "./pull-cashiers.types.ts";

/** `ingest.cashiers`: the till's cashier list with PIN hashes, for offline PIN login. */
export const pullCashiers = terminalProcedure
  .input(ZPullCashiersInput)
  .output(ZPullCashiersOutput)
  .query(({ ctx, input }) => cashiersForTerminal(ctx.db.sql, ctx.terminal, input.since));
