import type { AgentRouter } from "@kassa/api/agent";
import { createTRPCClient, httpLink } from "@trpc/client";

/** A typed client of a running agent's local API (the CLI's status/sync/dlq/shift commands, tests, a TypeScript POS). */
export function createLocalClient(url: string, apiToken: string) {
  return createTRPCClient<AgentRouter>({
    links: [
      httpLink({ url: `${url.replace(/\/$/, "")}/trpc`, headers: { authorization: `Bearer ${apiToken}` } }),
    ],
  });
}

export type LocalClient = ReturnType<typeof createLocalClient>;
