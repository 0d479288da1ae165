import { centralRouter, createCentralContext, MAX_BATCH_CALLS, prepareTrpcRequest } from "@kassa/api/central";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getEnv } from "~/env.ts";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db.ts";

export const dynamic = "force-dynamic";

// One endpoint for agents (ingest.*, terminal key) and the dashboard (dashboard.*, session cookie).
async function handler(request: Request): Promise<Response> {
  const env = getEnv();
  const prepared = await prepareTrpcRequest(request, { maxBytes: env.maxBodyBytes });
  if (prepared instanceof Response) return prepared;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: prepared,
    router: centralRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: async ({ req }) =>
      createCentralContext({ db: await getDb(), headers: req.headers, auth: await getAuth() }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
