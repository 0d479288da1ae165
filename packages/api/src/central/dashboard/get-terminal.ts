import { getTerminal } from "./fleet.ts";
import { ZGetTerminalInput, ZGetTerminalOutput } from "./get-terminal.types.ts";
import { permitted } from "./permissions.ts";

export const getTerminalProcedure = permitted("fleet.view")
  .input(ZGetTerminalInput)
  .output(ZGetTerminalOutput)
  .query(({ ctx, input }) => getTerminal(ctx.db, ctx.scope, input.terminalId, ctx.now()));
