import http from "node:http";
import { agentRouter, createAgentContext } from "@kassa/api/agent";
import { buildAgentOpenApi } from "@kassa/api/agent/openapi";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../metrics.ts";
import { createLocalServer, listen } from "./local-server.ts";

// GET /openapi.json is how a POS written in any language gets the contract: served by the running
// agent, without the till's token (docs/agent-api.md), while /trpc stays behind it.

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(): Promise<string> {
  server = createLocalServer({
    router: agentRouter,
    createContext: () => createAgentContext({} as never),
    apiToken: "secret-token-for-tests",
    maxBodyBytes: 1024 * 1024,
    metrics: createMetrics(),
    health: () => ({}),
  });
  return `http://127.0.0.1:${await listen(server, 0)}`;
}

describe("GET /openapi.json", () => {
  it("answers the router's OpenAPI 3.1 document without a token", async () => {
    const base = await start();
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(body.openapi).toBe("3.1.0");
    expect(body).toEqual(buildAgentOpenApi());
    expect(Object.keys(body.paths)).toContain("/trpc/receipts.create");
  });

  it("answers only a loopback Host, like /healthz (DNS rebinding)", async () => {
    const base = await start();
    const { port } = new URL(base);
    const res = await new Promise<{ status: number }>((resolve, reject) => {
      const req = http.get(
        { host: "127.0.0.1", port, path: "/openapi.json", headers: { host: "evil.example" } },
        (r) => {
          r.resume();
          resolve({ status: r.statusCode ?? 0 });
        },
      );
      req.on("error", reject);
    });
    expect(res.status).toBe(403);
  });

  it("leaves the procedures behind the token", async () => {
    const base = await start();
    const res = await fetch(`${base}/trpc/status`);
    expect(res.status).toBe(401);
  });
});
