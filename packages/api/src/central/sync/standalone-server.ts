import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type CentralContext, createCentralContext } from "../context.ts";
import { MAX_BATCH_CALLS, prepareTrpcRequest } from "../http/request-body.ts";
import { centralRouter } from "../router.ts";

/** Largest request body, compressed or not: the admin app's default (KASSA_MAX_BODY_BYTES). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface StandaloneCentralOptions {
  db: CentralContext["db"];
  port?: number;
  host?: string;
  now?: () => Date;
  /** Signs dashboard session cookies; without it no dashboard session is accepted (agents only). */
  sessionSecret?: string;
  /** Handles a request before tRPC does (test controls); return true when it answered. */
  intercept?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean | Promise<boolean>;
}

/**
 * The central tRPC router at `/api/trpc` on plain node:http, with the same gzip request handling
 * as the Next.js route: for tests, benchmarks and the fault matrix, where starting Next is too slow.
 */
export async function startStandaloneCentral(
  options: StandaloneCentralOptions,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res, options)
      .then(async (response) => {
        if (response === null) return; // answered by options.intercept
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: (error as Error).message } }));
      });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The Next.js route's request handling on node:http: the same body limit and gzip inflation
 * (prepareTrpcRequest, so an oversized batch is the same typed 413), then the central router.
 */
async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: StandaloneCentralOptions,
): Promise<Response | null> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // Streamed, so prepareTrpcRequest stops reading at the limit instead of buffering any size.
  const raw = new Request(`http://localhost${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  });
  const prepared = await prepareTrpcRequest(raw, { maxBytes: MAX_BODY_BYTES });
  if (prepared instanceof Response) return prepared;
  if (options.intercept) {
    const body = Buffer.from(await prepared.clone().arrayBuffer());
    if (await options.intercept(req, res, body)) return null;
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: prepared,
    router: centralRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: () =>
      createCentralContext({
        db: options.db,
        headers: prepared.headers,
        ...(options.now ? { now: options.now } : {}),
        ...(options.sessionSecret ? { sessionSecret: options.sessionSecret } : {}),
      }),
  });
}
