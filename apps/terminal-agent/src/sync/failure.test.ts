import { TRPCClientError } from "@trpc/client";
import { BrokenCircuitError } from "cockatiel";
import { describe, expect, it } from "vitest";
import {
  CentralAnswerError,
  classifyPushFailure,
  isDestinationFailure,
  readableText,
  retryAfterOf,
  retryAfterSeconds,
} from "./failure.ts";

/** An error as the tRPC client throws it for a Kassa (tRPC-shaped) error answer. */
function kassaError(httpStatus: number, data: Record<string, unknown> = {}): TRPCClientError<never> {
  return TRPCClientError.from({ error: { message: "refused", code: -32600, data: { httpStatus, ...data } } });
}

/** An error for a JSON answer that is not tRPC's (a gateway's own body): only the status is known. */
function foreignJson(status: number): TRPCClientError<never> {
  return new TRPCClientError("not a tRPC answer", { meta: { response: new Response(null, { status }) } });
}

describe("classifyPushFailure: whose fault a failed push is", () => {
  it("an item's: Kassa's VALIDATION_FAILED naming items.N, exactly those items", () => {
    const failure = classifyPushFailure(
      kassaError(400, {
        kassaCode: "VALIDATION_FAILED",
        fieldErrors: {
          "items.3.data.price": ["must be an integer"],
          "items.3.data.name": ["too long"],
          hlc: ["bad"],
        },
      }),
    );
    expect(failure).toMatchObject({ type: "invalid" });
    expect(failure.type === "invalid" && [...failure.items]).toEqual([
      [3, "data.price: must be an integer; data.name: too long"],
    ]);
  });

  it.each([
    ["Kassa's 400 without item paths (a mangled body)", kassaError(400, { kassaCode: "VALIDATION_FAILED" })],
    [
      "Kassa's 400 with only batch paths",
      kassaError(400, { kassaCode: "VALIDATION_FAILED", fieldErrors: { hlc: ["x"] } }),
    ],
    [
      "tRPC's 404 (no such procedure, mid-upgrade)",
      kassaError(404, { kassaCode: "NOT_FOUND", code: "NOT_FOUND" }),
    ],
    ["tRPC's 405", kassaError(405, { kassaCode: "INTERNAL", code: "METHOD_NOT_SUPPORTED" })],
    ["a 409 other than the lease", kassaError(409, { kassaCode: "IDEMPOTENCY_CONFLICT" })],
    ["a 422", kassaError(422, { kassaCode: "SYNC_DISABLED" })],
    ["a gateway's JSON 400", foreignJson(400)],
    [
      "Kassa's 400 for item kinds an older central server does not know (a rollout)",
      kassaError(400, {
        kassaCode: "VALIDATION_FAILED",
        fieldErrors: {
          "items.0.kind": ["Invalid discriminator value"],
          "items.4.kind": ["Invalid discriminator value"],
        },
      }),
    ],
    [
      "a proxy's HTML 400",
      new TRPCClientError("x", { cause: new CentralAnswerError(400, "text/html", "<html>400</html>") }),
    ],
  ])("the server's, never bisected: %s", (_label, error) => {
    const failure = classifyPushFailure(error);
    expect(failure).toMatchObject({ type: "server", mayBeItem: false });
    expect(failure.message).toMatch(/naming no item/);
    expect(isDestinationFailure(error)).toBe(true);
  });

  it("the server's, bisected (it may be one item crashing the handler): 5xx of any shape", () => {
    expect(classifyPushFailure(kassaError(500, { kassaCode: "INTERNAL" }))).toMatchObject({
      type: "server",
      status: 500,
      mayBeItem: true,
    });
    expect(classifyPushFailure(foreignJson(502))).toMatchObject({
      type: "server",
      status: 502,
      mayBeItem: true,
    });
    expect(classifyPushFailure(new TypeError("fetch failed"))).toMatchObject({
      type: "server",
      status: null,
      mayBeItem: false,
    });
  });

  it("413: typed when it is Kassa's own, untyped from a proxy", () => {
    expect(classifyPushFailure(kassaError(413, { kassaCode: "PAYLOAD_TOO_LARGE" }))).toMatchObject({
      type: "too_large",
      typed: true,
    });
    expect(classifyPushFailure(foreignJson(413))).toMatchObject({ type: "too_large", typed: false });
  });

  it("neither's: admission, the lease, an open breaker", () => {
    expect(
      classifyPushFailure(kassaError(429, { kassaCode: "RETRY_LATER", retryAfterSeconds: 3 })),
    ).toMatchObject({ type: "busy", retryAfterMs: 3000 });
    expect(classifyPushFailure(kassaError(409, { kassaCode: "LEASE_CONFLICT" }))).toMatchObject({
      type: "lease",
      retryAfterMs: null,
    });
    expect(classifyPushFailure(new BrokenCircuitError())).toMatchObject({ type: "breaker_open" });
    expect(isDestinationFailure(kassaError(429, { kassaCode: "RETRY_LATER" }))).toBe(false);
  });

  it("a 429 in anyone's words is 'slow down' for as long as its Retry-After says, never a server fault", () => {
    const proxy429 = (retryAfter: number | null) =>
      new TRPCClientError("x", {
        cause: new CentralAnswerError(429, "text/html", "<html>429 Too Many Requests</html>", retryAfter),
      });
    expect(classifyPushFailure(proxy429(30))).toMatchObject({ type: "busy", retryAfterMs: 30_000 });
    expect(classifyPushFailure(proxy429(null))).toMatchObject({ type: "busy", retryAfterMs: 5_000 });
    expect(isDestinationFailure(proxy429(30))).toBe(false);
    const gateway = new TRPCClientError("not a tRPC answer", {
      meta: { response: new Response(null, { status: 429, headers: { "retry-after": "12" } }) },
    });
    expect(classifyPushFailure(gateway)).toMatchObject({ type: "busy", retryAfterMs: 12_000 });
  });

  it("an HTTP-date Retry-After counts from the answer's own Date, not the till's clock", () => {
    // Whatever this machine's clock says, the proxy said "45 s from now" in its own time.
    const dated = (headers: Record<string, string>) =>
      new TRPCClientError("not a tRPC answer", {
        meta: { response: new Response(null, { status: 429, headers }) },
      });
    const retryAfter = "Tue, 01 Dec 2020 12:00:45 GMT";
    expect(
      classifyPushFailure(dated({ "retry-after": retryAfter, date: "Tue, 01 Dec 2020 12:00:00 GMT" })),
    ).toMatchObject({ type: "busy", retryAfterMs: 45_000 });
    expect(
      retryAfterOf(new Headers({ "retry-after": retryAfter, date: "Tue, 01 Dec 2020 12:00:00 GMT" })),
    ).toBe(45);
    // No Date of its own: this machine's clock is all there is (that date is long past).
    expect(retryAfterOf(new Headers({ "retry-after": retryAfter }))).toBe(0);
  });

  it("reads Retry-After as seconds or an HTTP-date, capped at an hour", () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds(" 7 ", now)).toBe(7);
    expect(retryAfterSeconds("Tue, 01 Dec 2026 12:00:45 GMT", now)).toBe(45);
    expect(retryAfterSeconds("Tue, 01 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterSeconds("86400", now)).toBe(3600);
    for (const bad of [null, undefined, "", "soon", "-5", "1.5e3"])
      expect(retryAfterSeconds(bad, now)).toBeNull();
  });

  it("keeps diagnostic text storable: control characters spelled out, broken UTF-16 replaced", () => {
    expect(readableText("bad \u0000\u001f byte \uD800 here 🧾")).toBe(
      "bad \\u0000\\u001f byte \uFFFD here 🧾",
    );
    expect(classifyPushFailure(new Error("Unexpected token \u0000")).message).toBe(
      "Unexpected token \\u0000",
    );
  });
});
