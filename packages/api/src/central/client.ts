import { createTRPCClient, httpLink } from "@trpc/client";
import type { CentralRouter } from "./router.ts";
import { wireTransformer } from "./transformer.ts";

export interface CentralClientOptions {
  /** Base URL of the central server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The terminal's credential `<terminal id>.<secret>`. */
  terminalKey: string;
  /** Replaces the global fetch (compression, tests, timeouts). */
  fetch?: typeof fetch;
}

/**
 * The agent's typed client of the central server. It imports only the router's *type*, so the
 * agent never loads central server code or its database client.
 */
export function createCentralClient(options: CentralClientOptions) {
  return createTRPCClient<CentralRouter>({
    links: [
      httpLink({
        url: `${options.url.replace(/\/$/, "")}/api/trpc`,
        transformer: wireTransformer,
        headers: { authorization: `Bearer ${options.terminalKey}` },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type CentralClient = ReturnType<typeof createCentralClient>;
