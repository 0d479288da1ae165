import { dashboardProcedure } from "./dashboard-procedure.ts";
import { getTerminal } from "./fleet.ts";
import { ZGetTerminalInput, ZGetTerminalOutput } from "./get-terminal.types.ts";

export const getTerminalProcedure = dashboardProcedure
  .input(ZGetTerminalInput)
  .output(ZGetTerminalOutput)
  .query(({ ctx, input }) => getTerminal(ctx.db, ctx.scope, input.terminalId, ctx.now()));
