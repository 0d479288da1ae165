import { type AnyProcedure, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { z } from "zod";
import { AppErrorCode } from "../errors.ts";
import { type AgentRouter, agentRouter } from "./router.ts";

/**
 * The agent's local API as an OpenAPI 3.1 document (docs/agent-api.md, "Machine-readable contract"),
 * built from the router itself: every procedure, its zod input and output through zod's own
 * `z.toJSONSchema`, and tRPC's real wire format around them. POS makers who do not write
 * TypeScript generate their client from it; `GET /openapi.json` serves it and
 * docs/agent-api.openapi.json is the committed copy a test keeps equal to this function's result.
 *
 * zod's built-in converter is used instead of trpc-to-openapi / zod-openapi: those map procedures
 * to REST-style routes of their own (that would be a second, different API to keep), while this
 * document has to describe the /trpc wire format the agent actually speaks.
 */

/** "receipts.create" | "shift.xReport" | "status" | …: every procedure path of the router, by type. */
type ProcedurePaths<TRecord, TPrefix extends string = ""> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyProcedure
    ? `${TPrefix}${K}`
    : ProcedurePaths<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];
export type AgentProcedurePath = ProcedurePaths<AgentRouter["_def"]["record"]>;

interface ProcedureDoc {
  summary: string;
  /**
   * The kassaCodes the procedure's own code can answer with. UNAUTHORIZED (token), INTERNAL, and
   * VALIDATION_FAILED (a procedure with input) or PAYLOAD_TOO_LARGE (a mutation) are added to all.
   */
  errors: readonly AppErrorCode[];
}

const CASHIER: readonly AppErrorCode[] = ["LOGIN_REQUIRED", "SESSION_INVALID"];

/**
 * What the zod schemas cannot say: a summary and the errors of each procedure. Typed by the
 * router's paths, so a procedure added to router.ts without an entry here fails the typecheck.
 */
const PROCEDURES: Record<AgentProcedurePath, ProcedureDoc> = {
  "receipts.create": {
    summary:
      "Accept a sale or refund; answered once it is durably stored, with the fiscal attributes if the register printed it",
    errors: [
      ...CASHIER,
      "IDEMPOTENCY_CONFLICT",
      "SHIFT_CLOSED",
      "SHIFT_EXPIRED",
      "BUFFER_FULL",
      "BUFFER_CONFLICT",
    ],
  },
  "receipts.get": { summary: "One receipt by receiptId or idempotencyKey", errors: ["NOT_FOUND"] },
  "receipts.void": {
    summary:
      "Resolve a receipt the register refused for its content (needs_attention): voided with a reason, no fiscal document",
    errors: ["NOT_FOUND", "RECEIPT_NOT_VOIDABLE"],
  },
  "receipts.correct": {
    summary:
      "Make a correction receipt (FFD 1.2): stored first, fiscalized exactly once like a sale, with the basis document",
    errors: [...CASHIER, "IDEMPOTENCY_CONFLICT", "SHIFT_CLOSED", "SHIFT_EXPIRED", "DEVICE_UNAVAILABLE"],
  },
  "receipts.list": {
    summary: "Receipts newest first, filtered by status and acceptance time, cursor-paginated",
    errors: [],
  },
  "shift.open": {
    summary: "Open a shift on the register and record the opening float",
    errors: [...CASHIER, "SHIFT_ALREADY_OPEN", "DEVICE_UNAVAILABLE"],
  },
  "shift.close": {
    summary: "Print the Z report, close the shift, return expected against counted cash",
    errors: [...CASHIER, "SHIFT_CLOSED", "DEVICE_UNAVAILABLE"],
  },
  "shift.xReport": {
    summary: "Print an X report (shift totals without closing) and return the cash summary",
    errors: [...CASHIER, "SHIFT_CLOSED", "DEVICE_UNAVAILABLE"],
  },
  "shift.status": { summary: "The current shift, its 24 h deadline and the expected cash", errors: [] },
  "cash.move": {
    summary: "Cash in or out of the drawer with a reason",
    errors: [...CASHIER, "IDEMPOTENCY_CONFLICT", "SHIFT_CLOSED"],
  },
  "auth.login": {
    summary: "Cashier PIN login against the cached cashier list; a session for receipt, shift and cash calls",
    errors: ["UNAUTHORIZED", "USER_LOCKED"],
  },
  status: { summary: "Device, buffer, sync and breaker state in one call", errors: [] },
  "sync.now": { summary: "Run a sync round now and report what was delivered", errors: ["SYNC_DISABLED"] },
  "dlq.list": { summary: "Dead-lettered outbox items with their last error", errors: [] },
  "dlq.retry": { summary: "Move dead-lettered items back into the outbox", errors: ["SYNC_DISABLED"] },
  "dlq.discard": {
    summary: "Discard dead-lettered items with a reason (kept and audited)",
    errors: ["SYNC_DISABLED"],
  },
  "rum.report": {
    summary:
      "The POS front-end's web vitals (web-vitals Metric shape) and custom marks, queued as RUM samples through outages",
    errors: [],
  },
};

/** The contract's version: raise it when a procedure or a field changes incompatibly. */
export const AGENT_API_VERSION = "0.1.0";

const TRPC_CODES = Object.keys(TRPC_ERROR_CODES_BY_KEY) as [TRPC_ERROR_CODE_KEY, ...TRPC_ERROR_CODE_KEY[]];
const KASSA_CODES = Object.keys(AppErrorCode) as [AppErrorCode, ...AppErrorCode[]];

/**
 * What every failure looks like on the wire: tRPC's error shape with Kassa's errorFormatter
 * additions (errors.ts). Written as zod too, so the document derives it the same way.
 */
export const ZAgentErrorEnvelope = z.object({
  error: z.object({
    message: z.string(),
    /** The JSON-RPC 2.0 code tRPC pairs with data.code (-32600 for BAD_REQUEST, …). */
    code: z.int(),
    data: z.object({
      code: z.enum(TRPC_CODES),
      httpStatus: z.int(),
      kassaCode: z.enum(KASSA_CODES),
      /** The procedure path; absent on refusals made before tRPC runs (401 token). */
      path: z.string().optional(),
      /** Field path ("items.0.quantity") → messages, on VALIDATION_FAILED. */
      fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
      /** On RETRY_LATER / BUFFER_FULL: seconds before the caller may try again. */
      retryAfterSeconds: z.number().optional(),
    }),
  }),
});

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Recursive schemas would need $defs, which OpenAPI resolves from the document root: refuse them
  // loudly rather than publish dangling references.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    reused: "inline",
    cycles: "throw",
    unrepresentable: "throw",
  }) as JsonSchema;
  return rest;
}

const pascal = (path: string) =>
  path
    .split(".")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
const camel = (path: string) => {
  const name = pascal(path);
  return name[0]!.toLowerCase() + name.slice(1);
};

const statusOf = (kassaCode: AppErrorCode) =>
  getHTTPStatusCodeFromError(new TRPCError({ code: AppErrorCode[kassaCode] }));

/** One response per HTTP status, naming the kassaCodes that produce it. */
function errorResponses(kassaCodes: readonly AppErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, AppErrorCode[]>();
  for (const kassaCode of kassaCodes) {
    const status = statusOf(kassaCode);
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), kassaCode])]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `kassaCode ${codes.join(" | ")}`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
    };
  }
  return responses;
}

/** Accepts a missing input (`undefined`): then the body or `input` parameter may be left out. */
const inputOptional = (schema: z.ZodType) => schema.safeParse(undefined).success;

function procedureOperation(path: AgentProcedurePath, procedure: AnyProcedure, schemas: JsonSchema) {
  const def = procedure._def as unknown as {
    type: "query" | "mutation" | "subscription";
    inputs: z.ZodType[];
    output?: z.ZodType;
  };
  const doc = PROCEDURES[path];
  if (def.type === "subscription")
    throw new TypeError(`${path}: subscriptions are not part of the POS contract`);
  if (def.inputs.length > 1) throw new TypeError(`${path}: chained .input() is not described`);
  if (!def.output)
    throw new TypeError(`${path}: declare its .output() so the contract can say what it returns`);
  const input = def.inputs[0];
  const name = pascal(path);

  const common: AppErrorCode[] = ["UNAUTHORIZED", "INTERNAL"];
  if (input) common.push("VALIDATION_FAILED");
  if (def.type === "mutation") common.push("PAYLOAD_TOO_LARGE");

  const operation: Record<string, unknown> = {
    operationId: camel(path),
    tags: [path.split(".")[0]],
    summary: doc.summary,
  };
  if (input) {
    schemas[`${name}Input`] = jsonSchema(input, "input");
    const content = { "application/json": { schema: { $ref: `#/components/schemas/${name}Input` } } };
    if (def.type === "query") {
      // A query's input is one JSON document, URL-encoded into `?input=`.
      operation.parameters = [
        {
          name: "input",
          in: "query",
          required: !inputOptional(input),
          description: "The input as URL-encoded JSON: `?input=%7B%22receiptId%22%3A%22…%22%7D`.",
          content,
        },
      ];
    } else {
      operation.requestBody = { required: !inputOptional(input), content };
    }
  }
  schemas[`${name}Output`] = jsonSchema(def.output, "output");
  operation.responses = {
    "200": {
      description: "Success: tRPC's result envelope around the procedure's output.",
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["result"],
            properties: {
              result: {
                type: "object",
                required: ["data"],
                properties: { data: { $ref: `#/components/schemas/${name}Output` } },
              },
            },
          },
        },
      },
    },
    ...errorResponses([...common, ...doc.errors]),
  };
  return { method: def.type === "query" ? "get" : "post", operation };
}

/** The agent's OpenAPI 3.1 document; deterministic, so the committed copy can be compared byte for byte. */
export function buildAgentOpenApi(): Record<string, unknown> {
  const procedures = agentRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  const unknown = Object.keys(procedures).filter((path) => !(path in PROCEDURES));
  if (unknown.length > 0) throw new TypeError(`describe ${unknown.join(", ")} in PROCEDURES (openapi.ts)`);

  const schemas: JsonSchema = { ErrorEnvelope: jsonSchema(ZAgentErrorEnvelope, "output") };
  const paths: Record<string, unknown> = {};
  for (const path of Object.keys(procedures).sort() as AgentProcedurePath[]) {
    const { method, operation } = procedureOperation(path, procedures[path]!, schemas);
    paths[`/trpc/${path}`] = { [method]: operation };
  }
  Object.assign(paths, OPEN_ROUTES);

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Kassa terminal agent: local POS API",
      version: AGENT_API_VERSION,
      description: [
        "The API a shop's POS calls on the till (docs/agent-api.md). tRPC v11 wire format without a data",
        "transformer: a mutation is `POST /trpc/<procedure>` with the input as the JSON body; a query is",
        '`GET /trpc/<procedure>?input=<URL-encoded JSON>`. Success is `{"result":{"data":<output>}}`;',
        "failure is the ErrorEnvelope with the matching HTTP status, and a POS branches on",
        "`error.data.kassaCode`. Request batching (`?batch=1`) is not part of this contract. Money is integer",
        "kopecks; times are ISO-8601 with offset. Nothing is written when a call fails.",
      ].join(" "),
    },
    servers: [
      {
        url: "http://127.0.0.1:{port}",
        description: "The agent on the till: loopback only.",
        variables: { port: { default: "7071", description: "KASSA_PORT" } },
      },
    ],
    security: [{ bearerToken: [] }],
    tags: [...new Set(Object.keys(procedures).map((path) => path.split(".")[0]!)), "meta"]
      .sort()
      .map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description:
            "`Authorization: Bearer $KASSA_API_TOKEN`; a missing or wrong token is 401 UNAUTHORIZED.",
        },
      },
      schemas,
    },
  };
}

const WRONG_HOST = {
  "403": {
    description:
      "kassaCode FORBIDDEN: the request's Host is not 127.0.0.1, localhost or [::1] (DNS rebinding)",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
  },
};

/** The agent's routes outside tRPC: no token (they carry no sales data), loopback Host only. */
const OPEN_ROUTES = {
  "/openapi.json": {
    get: {
      operationId: "openapi",
      tags: ["meta"],
      summary: "This document",
      security: [],
      responses: {
        "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: {} } } },
        ...WRONG_HOST,
      },
    },
  },
  "/healthz": {
    get: {
      operationId: "healthz",
      tags: ["meta"],
      summary: "Liveness: the agent answers, with its terminal id and queue sizes",
      security: [],
      responses: {
        "200": {
          description: "Alive",
          content: {
            "application/json": {
              schema: { type: "object", required: ["ok"], properties: { ok: { const: true } } },
            },
          },
        },
        ...WRONG_HOST,
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "metrics",
      tags: ["meta"],
      summary: "Prometheus metrics",
      security: [],
      responses: {
        "200": { description: "Prometheus text format", content: { "text/plain": { schema: {} } } },
        ...WRONG_HOST,
      },
    },
  },
};
