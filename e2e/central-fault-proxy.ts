import http from "node:http";
import { gunzipSync } from "node:zlib";

/**
 * What sits between the stack's agent and its central server: a pass-through proxy that, while
 * told to, corrupts on the way in the receipts of one cashier (`needle` in the cashier's name) —
 * their `cashier.name` becomes empty, which the central server's own schema refuses.
 *
 * Why a proxy, and why corrupt rather than answer: scripts/stack has no test controls in the
 * central server (and the suite must not add one), while a dead letter the DLQ spec can retry
 * successfully needs a refusal that stops. Every answer the agent sees is still the real central
 * server's (its typed VALIDATION_FAILED naming the items, which the agent dead-letters), the
 * retry command is the real dashboard's, and once the proxy is told to stop, the same payloads
 * go through untouched: "the path was fixed". Nothing else is changed or looked at.
 */
export interface FaultProxy {
  url: string;
  /** Where the suite's specs switch it: `POST {controlUrl}` with `{ "needle": "…" | null }`. */
  controlUrl: string;
  stop(): Promise<void>;
}

const CONTROL_PATH = "/__e2e/fault";

export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  let needle: string | null = null;

  const server = http.createServer((req, res) => {
    if (req.url === CONTROL_PATH && req.method === "POST") {
      readBody(req)
        .then((body) => {
          needle = (JSON.parse(body.toString("utf8") || "{}") as { needle?: string | null }).needle ?? null;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ needle }));
        })
        .catch((error: Error) => fail(res, 400, error));
      return;
    }
    const corrupting =
      needle !== null && req.method === "POST" && req.url?.startsWith("/api/trpc/ingest.push");
    if (!corrupting) {
      forward(req, res, upstream, req);
      return;
    }
    const active = needle!;
    readBody(req)
      .then((raw) => {
        const gzip = (req.headers["content-encoding"] ?? "").toString().includes("gzip");
        const body = corruptCashier(gzip ? gunzipSync(raw) : raw, active);
        const headers = { ...req.headers, "content-length": String(body.byteLength) };
        delete headers["content-encoding"];
        forward(req, res, upstream, body, headers);
      })
      .catch((error: Error) => fail(res, 502, error));
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
  const url = `http://127.0.0.1:${bound}`;
  return {
    url,
    controlUrl: `${url}${CONTROL_PATH}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `ingest.push`'s body (superjson `{ json: { items } }`): receipts whose cashier matches get an empty name. */
function corruptCashier(raw: Buffer, needle: string): Buffer {
  const wire = JSON.parse(raw.toString("utf8")) as {
    json?: { items?: Array<{ kind: string; data?: { cashier?: { name?: string } } }> };
  };
  for (const item of wire.json?.items ?? []) {
    if (item.kind === "receipt" && item.data?.cashier?.name?.includes(needle)) item.data.cashier.name = "";
  }
  return Buffer.from(JSON.stringify(wire), "utf8");
}

function fail(res: http.ServerResponse, status: number, error: Error): void {
  if (!res.headersSent) res.writeHead(status, { "content-type": "text/plain" });
  res.end(`e2e proxy: ${error.message}`);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstream: URL,
  body: http.IncomingMessage | Buffer,
  headers: http.IncomingHttpHeaders = req.headers,
): void {
  const out = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...headers, host: upstream.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`e2e proxy: ${error.message}`);
  });
  if (Buffer.isBuffer(body)) out.end(body);
  else body.pipe(out);
}
