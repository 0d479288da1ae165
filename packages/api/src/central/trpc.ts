import { parseTerminalKey, verifyTerminalKey } from "@kassa/db/central";
import { initTRPC } from "@trpc/server";
import { AppError, formatKassaError } from "../errors.ts";
import type { CentralContext } from "./context.ts";
import { wireTransformer } from "./transformer.ts";

/**
 * The central server's tRPC instance. superjson carries BigInt money and Dates between the
 * central server, the dashboard and the agents' sync client (skipped for plain JSON: transformer.ts).
 */
/** Procedure metadata: the dashboard permission a procedure needs (dashboard/permissions.ts). */
export interface CentralMeta {
  permission?: string;
}

const t = initTRPC.context<CentralContext>().meta<CentralMeta>().create({
  transformer: wireTransformer,
  errorFormatter: formatKassaError,
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** The terminal a sync call comes from, proven by its credential. */
export interface AuthenticatedTerminal {
  organizationId: string;
  storeId: string;
  id: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Terminal procedures: `Authorization: Bearer <terminal id>.<secret>`. The terminal id in the key
 * picks the row; the secret must match its stored hash; retired terminals are refused. Every
 * handler then writes only `ctx.terminal`'s own data.
 */
export const terminalProcedure = t.procedure.use(async ({ ctx, next }) => {
  const key = BEARER.exec(ctx.headers.get("authorization") ?? "")?.[1];
  if (!key) {
    throw new AppError("UNAUTHORIZED", {
      message: "Send the terminal's key as `Authorization: Bearer <key>` (see KASSA_TERMINAL_KEY).",
    });
  }
  // A malformed key is refused like a wrong one, without a database lookup.
  const parsed = parseTerminalKey(key);
  const row = parsed
    ? await ctx.db.prisma.terminal.findUnique({
        where: { id: parsed.terminalId },
        select: {
          organizationId: true,
          storeId: true,
          id: true,
          keyHash: true,
          status: true,
          previousKeyHash: true,
          keyRotatedAt: true,
        },
      })
    : null;
  // The key an owner rotated away: refused like any wrong key, but named, so the till says so.
  if (row?.previousKeyHash && row.keyRotatedAt && verifyTerminalKey(key, row.previousKeyHash)) {
    throw new AppError("TERMINAL_KEY_ROTATED", {
      message: `Terminal ${row.id}'s key was rotated in the dashboard at ${row.keyRotatedAt.toISOString()}: set the new key (KASSA_TERMINAL_KEY) on the till and restart the agent.`,
    });
  }
  if (!row || !verifyTerminalKey(key, row.keyHash)) {
    throw new AppError("UNAUTHORIZED", {
      message:
        "The terminal key is not valid. Provision the terminal again or rotate its key in the dashboard.",
    });
  }
  if (row.status !== "active") {
    throw new AppError("TERMINAL_RETIRED", {
      message: `Terminal ${row.id} is retired and may no longer sync: provision a new till in the dashboard.`,
    });
  }
  const terminal: AuthenticatedTerminal = {
    organizationId: row.organizationId,
    storeId: row.storeId,
    id: row.id,
  };
  return next({ ctx: { ...ctx, terminal } });
});
