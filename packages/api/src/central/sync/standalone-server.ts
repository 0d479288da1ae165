import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type CentralContext, createCentralContext } from "../context.ts";
import { centralRouter } from "../router.ts";

/** Largest request body accepted after decompression (a batch is ~1,000 receipts, well under this). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface StandaloneCentralOptions {
  db: CentralContext["db"];
  port?: number;
  host?: string;
  now?: () => Date;
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
    readBody(req)
      .then(async (body) => {
        if (options.intercept && (await options.intercept(req, res, body))) return;
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string" && name !== "content-encoding" && name !== "content-length") {
            headers.set(name, value);
          }
        }
        const request = new Request(`http://localhost${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers,
          ...(req.method === "POST" ? { body: new Uint8Array(body) } : {}),
        });
        const response = await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: request,
          router: centralRouter,
          createContext: () =>
            createCentralContext({
              db: options.db,
              headers: request.headers,
              ...(options.now ? { now: options.now } : {}),
            }),
        });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(400, { "content-type": "application/json" });
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("Request body too large: send smaller batches.");
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  return req.headers["content-encoding"] === "gzip"
    ? gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES })
    : raw;
}
