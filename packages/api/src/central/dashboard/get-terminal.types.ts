import { z } from "zod";
import { ZTerminalView } from "./terminal-view.types.ts";

export const ZGetTerminalInput = z.object({ terminalId: z.string().min(1).max(64) });
export type TGetTerminalInput = z.infer<typeof ZGetTerminalInput>;

export const ZGetTerminalOutput = ZTerminalView;
export type TGetTerminalOutput = z.infer<typeof ZGetTerminalOutput>;
