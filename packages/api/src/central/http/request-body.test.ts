import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_BATCH_CALLS, prepareTrpcRequest } from "./request-body.ts";

const URL = "http://127.0.0.1/api/trpc/ingest.push";
const post = (body: Uint8Array | string, headers: Record<string, string> = {}) =>
  new Request(URL, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/json", ...headers },
  });

async function errorOf(result: Request | Response) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  const body = (await response.json()) as {
    error: { json: { message: string; data: { kassaCode: string } } };
  };
  return { status: response.status, ...body.error.json };
}

describe("prepareTrpcRequest", () => {
  it("passes GET requests and plain bodies through unchanged", async () => {
    const get = new Request(URL);
    expect(await prepareTrpcRequest(get, { maxBytes: 10 })).toBe(get);
    const result = await prepareTrpcRequest(post('{"a":1}'), { maxBytes: 100 });
    expect(await (result as Request).text()).toBe('{"a":1}');
  });

  it("inflates a gzip body and drops the content-encoding header", async () => {
    const json = JSON.stringify({ receipts: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    const result = (await prepareTrpcRequest(post(gzipSync(json), { "content-encoding": "gzip" }), {
      maxBytes: 10_000,
    })) as Request;
    expect(result.headers.get("content-encoding")).toBeNull();
    expect(await result.json()).toEqual(JSON.parse(json));
  });

  it("answers 413 in tRPC's envelope when the raw body is over the limit", async () => {
    const error = await errorOf(await prepareTrpcRequest(post("x".repeat(101)), { maxBytes: 100 }));
    expect(error).toMatchObject({ status: 413, data: { kassaCode: "PAYLOAD_TOO_LARGE" } });
    expect(error.message).toContain("smaller batches");
  });

  it("answers 413 for a small gzip body that inflates past the limit (gzip bomb)", async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    expect(bomb.byteLength).toBeLessThan(10_000);
    const error = await errorOf(
      await prepareTrpcRequest(post(bomb, { "content-encoding": "gzip" }), { maxBytes: 100_000 }),
    );
    expect(error).toMatchObject({ status: 413, data: { kassaCode: "PAYLOAD_TOO_LARGE" } });
  });

  it("answers 400 for a body that claims gzip but is not, and 415 for other encodings", async () => {
    const bad = await errorOf(
      await prepareTrpcRequest(post("not gzip", { "content-encoding": "gzip" }), { maxBytes: 100 }),
    );
    expect(bad).toMatchObject({ status: 400, data: { kassaCode: "VALIDATION_FAILED" } });
    const br = await errorOf(
      await prepareTrpcRequest(post("x", { "content-encoding": "br" }), { maxBytes: 100 }),
    );
    expect(br.status).toBe(415);
  });

  it(`refuses a batch of more than ${MAX_BATCH_CALLS} calls with a typed 400, GET or POST`, async () => {
    const paths = Array.from({ length: MAX_BATCH_CALLS + 1 }, () => "dashboard.overview").join(",");
    const get = await errorOf(
      await prepareTrpcRequest(new Request(`http://127.0.0.1/api/trpc/${paths}?batch=1&input={}`), {
        maxBytes: 100,
      }),
    );
    expect(get).toMatchObject({ status: 400, data: { kassaCode: "VALIDATION_FAILED" } });
    expect(get.message).toMatch(/at most 10/);
    const encoded = paths.replaceAll(",", "%2C");
    const postBatch = new Request(`http://127.0.0.1/api/trpc/${encoded}?batch=1`, {
      method: "POST",
      body: "{}",
    });
    expect((await errorOf(await prepareTrpcRequest(postBatch, { maxBytes: 100 }))).status).toBe(400);
  });

  it(`passes a batch of up to ${MAX_BATCH_CALLS} calls through`, async () => {
    const paths = Array.from({ length: MAX_BATCH_CALLS }, () => "dashboard.overview").join(",");
    const get = new Request(`http://127.0.0.1/api/trpc/${paths}?batch=1&input={}`);
    expect(await prepareTrpcRequest(get, { maxBytes: 100 })).toBe(get);
  });
});
