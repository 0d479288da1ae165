import { initTRPC } from "@trpc/server";
import { formatKassaError } from "../errors.ts";
import type { AgentContext } from "./context.ts";

/**
 * The agent's local tRPC instance. No data transformer: the wire format is plain JSON so a POS
 * written in any language can call it with an HTTP client (docs/agent-api.md, "Transport").
 */
const t = initTRPC.context<AgentContext>().create({ errorFormatter: formatKassaError });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** The bearer token is checked by the HTTP server before tRPC runs, so every procedure is a POS call. */
export const posProcedure = t.procedure;
