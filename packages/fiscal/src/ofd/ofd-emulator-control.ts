/**
 * The OFD emulator's HTTP control endpoint, for e2e tests and the dashboard demo:
 *   GET  /stats      counters (received, documents, duplicates, rejected…) and the mode
 *   GET  /documents  accepted documents by (FN, FD) with how often each arrived
 *   POST /mode       {"mode":"down"} or ?mode=slow&slowMs=5000 — switch at run time
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OfdEmulator, OfdMode, OfdModeOptions } from "./ofd-emulator.ts";

const MAX_BODY = 4096;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new TypeError("request body too large");
  }
  if (text.trim() === "") return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new TypeError("body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function modeRequest(
  query: URLSearchParams,
  body: Record<string, unknown>,
): { mode: OfdMode; options: OfdModeOptions } {
  const pick = (key: string) => body[key] ?? query.get(key) ?? undefined;
  const mode = pick("mode");
  if (typeof mode !== "string") throw new TypeError('"mode" is required, e.g. {"mode":"down"}');
  const options: OfdModeOptions = {};
  for (const key of ["slowMs", "flapMs"] as const) {
    const value = pick(key);
    if (value !== undefined) options[key] = Number(value);
  }
  const reason = pick("rejectReason");
  if (reason !== undefined) options.rejectReason = String(reason);
  return { mode: mode as OfdMode, options };
}

export function createControlHandler(emulator: OfdEmulator) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const handle = async () => {
      if (req.method === "GET" && url.pathname === "/stats") return send(res, 200, emulator.stats());
      if (req.method === "GET" && url.pathname === "/documents") return send(res, 200, emulator.documents());
      if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { ok: true });
      if (req.method === "POST" && url.pathname === "/mode") {
        const { mode, options } = modeRequest(url.searchParams, await readJson(req));
        emulator.setMode(mode, options);
        return send(res, 200, emulator.stats());
      }
      send(res, 404, {
        error: `no ${req.method} ${url.pathname}: use GET /stats, GET /documents or POST /mode`,
      });
    };
    handle().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      send(res, 400, { error: message });
    });
  };
}
