import { posProcedure } from "../trpc.ts";
import { ZAgentStatus } from "./get-status.types.ts";

/** Device, buffer, sync and breaker state in one call, for the POS and `kassa-agent status`. */
export const getStatus = posProcedure.output(ZAgentStatus).query(({ ctx }) => ctx.services.status());
