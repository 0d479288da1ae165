import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent, TOKEN } from "./helpers.ts";

// The local API's guards that sit before tRPC: no request batching, and the Host check that keeps a
// DNS-rebinding web page from reading /healthz and /metrics. Real agent, real HTTP.

let agent: TestAgent;
let port: number;
beforeAll(async () => {
  agent = await startTestAgent();
  port = Number(new URL(agent.url).port);
});
afterAll(() => agent.destroy());

/** node:http rather than fetch, so the Host header is exactly what a browser would send (or absent). */
function request(
  path: string,
  options: { method?: string; host?: string | null; body?: string; token?: boolean } = {},
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/json" };
    if (options.token !== false) headers.authorization = `Bearer ${TOKEN}`;
    if (options.host) headers.host = options.host;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers,
        setHost: options.host !== null,
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          let json: any = null;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode!, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("request batching", () => {
  it("a batched mutation is a typed 400 and runs nothing", async () => {
    const body = JSON.stringify({ 0: {}, 1: {} });
    const answer = await request("/trpc/sync.now,sync.now?batch=1", { method: "POST", body });
    expect(answer.status).toBe(400);
    expect(answer.json.error.data).toMatchObject({ code: "BAD_REQUEST", kassaCode: "VALIDATION_FAILED" });
    expect(answer.json.error.message).toMatch(/batching is off/);
  });

  it("a batched query is refused the same way; the same call unbatched answers", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }));
    const batched = await request(`/trpc/status,status?batch=1&input=${input}`);
    expect(batched.status).toBe(400);
    expect(batched.json.error.data.kassaCode).toBe("VALIDATION_FAILED");
    expect((await request("/trpc/status")).status).toBe(200);
  });
});

describe("Host check on /healthz and /metrics (DNS rebinding)", () => {
  it.each(["/healthz", "/metrics"])("%s answers the loopback names, with or without a port", async (path) => {
    for (const host of [
      `127.0.0.1:${port}`,
      "127.0.0.1",
      `localhost:${port}`,
      "LocalHost",
      `[::1]:${port}`,
    ]) {
      const answer = await request(path, { host, token: false });
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
  });

  it.each(["/healthz", "/metrics"])("%s refuses any other Host with a typed 403", async (path) => {
    for (const host of [
      `attacker.example:${port}`,
      "127.0.0.1.attacker.example",
      "localhost.attacker.example",
      "192.168.1.10",
      "127.0.0.2",
      "[::1]x",
    ]) {
      const answer = await request(path, { host, token: false });
      expect({ host, status: answer.status }).toEqual({ host, status: 403 });
      expect(answer.json.error.data.kassaCode).toBe("FORBIDDEN");
    }
  });

  it("refuses a request without a Host header", async () => {
    // node:http answers 400 to HTTP/1.1 without Host before our handler runs; either way, no health.
    const answer = await request("/healthz", { host: null, token: false });
    expect([400, 403]).toContain(answer.status);
  });
});
