import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { createAgentContext } from "./context.ts";
import { buildAgentOpenApi } from "./openapi.ts";
import { AGENT_OPENAPI_FILE } from "./openapi.write.ts";
import type { TReceiptView } from "./receipts/get-receipt.types.ts";
import { agentRouter } from "./router.ts";
import type { AgentServices } from "./services.ts";

// The OpenAPI document is what a POS in another language generates its client from: these tests
// keep the committed copy equal to the router, keep it valid OpenAPI 3.1, and check that real
// tRPC answers have the shapes the document promises.

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};
const doc = buildAgentOpenApi() as Doc;

describe("the agent's OpenAPI document", () => {
  it("is committed as docs/agent-api.openapi.json, up to date with the router", () => {
    const committed: unknown = JSON.parse(readFileSync(AGENT_OPENAPI_FILE, "utf8"));
    expect(
      committed,
      "docs/agent-api.openapi.json is out of date with the agent router: run `npm run openapi -w @kassa/api` and commit it",
    ).toEqual(doc);
  });

  it("has every procedure of the router, a query as GET and a mutation as POST, and nothing else", () => {
    const expected = Object.entries(
      agentRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .map(([path, procedure]) => `${procedure._def.type === "query" ? "get" : "post"} /trpc/${path}`)
      .sort();
    const described = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/trpc/"))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    expect(described).toEqual(expected);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/openapi.json", "/healthz", "/metrics"]));
  });

  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/(\w+)"$/.exec(ref)?.[1];
      expect(name && name in doc.components.schemas, ref).toBe(true);
    }
  });

  it("documents the statuses a receipt can fail with, by the status the error code maps to", () => {
    const create = doc.paths["/trpc/receipts.create"]!.post!.responses;
    expect(Object.keys(create)).toEqual(["200", "400", "401", "409", "413", "422", "500", "503"]);
    expect(create["422"]).toMatchObject({ description: "kassaCode SHIFT_CLOSED | SHIFT_EXPIRED" });
    expect(Object.keys(doc.paths["/trpc/receipts.get"]!.get!.responses)).toContain("404");
  });
});

describe("real tRPC answers match the document", () => {
  const receipt: TReceiptView = {
    receiptId: "01JD0000000000000000000000",
    idempotencyKey: "pos-42-000123",
    seq: 1,
    hlc: "1795334783996.00000",
    kind: "sale",
    status: "fiscalized",
    total: 900000,
    change: 100000,
    items: [
      {
        name: "Lens Essilor 1.6",
        price: 450000,
        quantity: 2,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
      },
    ],
    payments: [{ type: "cash", amount: 1000000 }],
    taxSystem: "osn",
    cashier: { name: "Ivanova A." },
    acceptedAt: "2026-11-22T10:15:00+03:00",
    fiscal: {
      fdNumber: 1234,
      fiscalSign: "4281688307",
      fnNumber: "9287440301120991",
      shiftNumber: 17,
      dateTime: "2026-11-22T10:15:00+03:00",
    },
  };
  const services = {
    receipts: {
      get: (input: { receiptId?: string }) => {
        if (input.receiptId !== receipt.receiptId) {
          throw new AppError("NOT_FOUND", { message: `Receipt ${input.receiptId} not found` });
        }
        return receipt;
      },
    },
  } as unknown as AgentServices;

  // Response schemas are checked with a JSON Schema 2020-12 validator that reads the document
  // itself, so a wrong envelope or reference in it fails here.
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: "agent", ...doc });
  const responseSchema = (path: string, method: string, status: number) => {
    const pointer = `/paths/${path.replaceAll("/", "~1")}/${method}/responses/${status}/content/application~1json/schema`;
    return ajv.compile({ $ref: `agent#${pointer}` });
  };

  const server = createHTTPServer({
    router: agentRouter,
    createContext: () => createAgentContext(services),
    basePath: "/trpc/",
  });
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function call(path: string, method: "get" | "post", status: number, init?: RequestInit) {
    const res = await fetch(`${base}${path}`, init);
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(Object.keys(doc.paths[path.split("?")[0]!]![method]!.responses)).toContain(String(status));
    const validate = responseSchema(path.split("?")[0]!, method, status);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    return body;
  }

  it("a query with ?input= URL-encoded JSON answers the result envelope", async () => {
    const input = encodeURIComponent(JSON.stringify({ receiptId: receipt.receiptId }));
    const body = await call(`/trpc/receipts.get?input=${input}`, "get", 200);
    expect(body).toEqual({ result: { data: receipt } });
  });

  it("an unknown receipt answers 404 in the error envelope with its kassaCode", async () => {
    const input = encodeURIComponent(JSON.stringify({ receiptId: "unknown" }));
    const body = await call(`/trpc/receipts.get?input=${input}`, "get", 404);
    expect(body).toMatchObject({
      error: { data: { code: "NOT_FOUND", httpStatus: 404, kassaCode: "NOT_FOUND" } },
    });
  });

  it("a mutation with an invalid JSON body answers 400 with fieldErrors, before any service runs", async () => {
    const body = await call("/trpc/receipts.create", "post", 400, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "sale" }),
    });
    expect(body).toMatchObject({
      error: { data: { kassaCode: "VALIDATION_FAILED", fieldErrors: { idempotencyKey: expect.any(Array) } } },
    });
  });
});
