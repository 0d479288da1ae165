import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { buildAgentOpenApi } from "@kassa/api/agent/openapi";
import type { AnyRouter } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { AgentMetrics } from "../metrics.ts";

export interface LocalServerOptions<TRouter extends AnyRouter> {
  router: TRouter;
  createContext: () => TRouter["_def"]["_config"]["$types"]["ctx"];
  /** The bearer token the POS must send on /trpc calls. */
  apiToken: string;
  /** Larger bodies are answered 413 before parsing. */
  maxBodyBytes: number;
  metrics: AgentMetrics;
  /** `/healthz` body; no token needed. */
  health: () => Record<string, unknown>;
  /**
   * The in-process KKT emulator's control language (paper-out, power-off, …), served as
   * `POST /emulator/control` behind the same token. Only given when the till runs the emulator
   * (KASSA_KKT_EMULATOR=1): a till on a real register has no such route.
   */
  emulatorControl?: (line: string) => string;
}

/** Longest emulator control line read (the language's lines are a few words). */
const MAX_CONTROL_BYTES = 1024;

const digest = (value: string) => createHash("sha256").update(value).digest();

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The tRPC error shape of docs/agent-api.md, for the refusals made before tRPC runs. */
function trpcError(
  res: http.ServerResponse,
  status: number,
  code: string,
  kassaCode: string,
  message: string,
): void {
  sendJson(res, status, { error: { message, code: -32001, data: { code, httpStatus: status, kassaCode } } });
}

/**
 * The local API on node:http: `/trpc/*` behind the bearer token; `/openapi.json`, `/metrics` and
 * `/healthz` open (loopback Host only).
 * Bind it to 127.0.0.1 only — the till's POS is the one caller.
 */
export function createLocalServer<TRouter extends AnyRouter>(
  options: LocalServerOptions<TRouter>,
): http.Server {
  const expected = digest(`Bearer ${options.apiToken}`);
  const handler = createHTTPHandler({
    router: options.router,
    createContext: options.createContext,
    basePath: "/trpc/",
    maxBodySize: options.maxBodyBytes,
    // One call per request (docs/agent-api.md): a batch would run many receipts under one request's
    // body limit and timing; refused with our own message below, and by tRPC should one slip by.
    allowBatching: false,
  } as Parameters<typeof createHTTPHandler<TRouter>>[0]);

  // Comparing digests keeps the comparison constant-time whatever the header's length.
  const authorized = (req: http.IncomingMessage) => {
    const given = req.headers.authorization;
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };

  let openApiDocument: Record<string, unknown> | undefined;
  return http.createServer((req, res) => {
    const url = req.url ?? "/";
    const control = options.emulatorControl;
    if (control && req.method === "POST" && url === "/emulator/control") {
      if (!authorized(req)) {
        req.resume();
        trpcError(
          res,
          401,
          "UNAUTHORIZED",
          "UNAUTHORIZED",
          "Send the till's API token as `Authorization: Bearer <KASSA_API_TOKEN>`.",
        );
        return;
      }
      readControlLine(req).then(
        (line) => {
          try {
            sendJson(res, 200, { output: control(line) });
          } catch (error) {
            trpcError(res, 400, "BAD_REQUEST", "VALIDATION_FAILED", (error as Error).message);
          }
        },
        (error: Error) => trpcError(res, 413, "PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE", error.message),
      );
      return;
    }
    if (url.startsWith("/trpc/")) {
      if (!authorized(req)) {
        options.metrics.requestsRejected.inc({ reason: "token" });
        req.resume();
        trpcError(
          res,
          401,
          "UNAUTHORIZED",
          "UNAUTHORIZED",
          "Send the till's API token as `Authorization: Bearer <KASSA_API_TOKEN>`.",
        );
        return;
      }
      if (new URL(url, "http://127.0.0.1").searchParams.get("batch") === "1") {
        options.metrics.requestsRejected.inc({ reason: "batch" });
        req.resume();
        trpcError(
          res,
          400,
          "BAD_REQUEST",
          "VALIDATION_FAILED",
          "Request batching is off on the till's API: send one call per request (POST /trpc/<procedure>).",
        );
        return;
      }
      // The body is JSON whatever the client labels it (`curl -d` says form-urlencoded).
      if (req.method === "POST" && !req.headers["content-type"]?.startsWith("application/json")) {
        req.headers["content-type"] = "application/json";
      }
      handler(req, res);
      return;
    }
    if (
      req.method === "GET" &&
      (url === "/healthz" || url === "/metrics" || url === "/openapi.json") &&
      !isLoopbackHost(req.headers.host)
    ) {
      // No token here, so the Host header is what stops a web page that rebinds its own name to
      // 127.0.0.1 (DNS rebinding) from reading the till's health and figures.
      options.metrics.requestsRejected.inc({ reason: "host" });
      trpcError(
        res,
        403,
        "FORBIDDEN",
        "FORBIDDEN",
        "GET /healthz, /metrics and /openapi.json answer only Host 127.0.0.1, localhost or [::1] (with any port).",
      );
      return;
    }
    if (req.method === "GET" && url === "/openapi.json") {
      // No token, as for /healthz, and the same Host check above: the contract is public
      // (docs/agent-api.md) and a POS maker's client generator fetches it without the till's
      // secret. Built on the first request, then kept.
      openApiDocument ??= buildAgentOpenApi();
      sendJson(res, 200, openApiDocument);
      return;
    }
    if (req.method === "GET" && url === "/healthz") {
      sendJson(res, 200, { ok: true, ...options.health() });
      return;
    }
    if (req.method === "GET" && url === "/metrics") {
      options.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": options.metrics.registry.contentType });
          res.end(text);
        },
        () => sendJson(res, 500, { ok: false }),
      );
      return;
    }
    req.resume();
    trpcError(
      res,
      404,
      "NOT_FOUND",
      "NOT_FOUND",
      `No route ${req.method} ${url}: the API is under /trpc/ (described by GET /openapi.json), plus GET /healthz and GET /metrics.`,
    );
  });
}

/** The control line of a request body (plain text), refused past MAX_CONTROL_BYTES. */
function readControlLine(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CONTROL_BYTES) {
        req.destroy();
        reject(new Error(`An emulator control line is at most ${MAX_CONTROL_BYTES} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `127.0.0.1`, `localhost` or `[::1]`, each with an optional port: the names a caller on the till uses. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i.test(host);
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
