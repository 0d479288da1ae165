import { getTerminal } from "./fleet.ts";
import { ZGetTerminalInput, ZGetTerminalOutput } from "./get-terminal.types.ts";
import { permitted } from "./permissions.ts";
import { terminalCorrections } from "./terminal-corrections.ts";

export const getTerminalProcedure = permitted("fleet.view")
  .input(ZGetTerminalInput)
  .output(ZGetTerminalOutput)
  .query(async ({ ctx, input }) => {
    // getTerminal refuses a till outside the caller's scope before anything else is read.
    const terminal = await getTerminal(ctx.db, ctx.scope, input.terminalId, ctx.now());
    const corrections = await terminalCorrections(ctx.db, {
      organizationId: terminal.organizationId,
      terminalId: terminal.id,
    });
    return { ...terminal, corrections };
  });
