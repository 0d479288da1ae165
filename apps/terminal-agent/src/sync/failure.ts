import { TRPCClientError } from "@trpc/client";
import { BrokenCircuitError, IsolatedCircuitError } from "cockatiel";

/**
 * How a failed push is handled. The one question that matters for the DLQ is whose fault it is:
 * only `invalid` (the server named items) and a typed `too_large` of a lone item ever dead-letter
 * anything; every other answer leaves every item in the outbox.
 */
export type PushFailure =
  /**
   * The destination's fault (network down, timeout, 5xx, a 4xx or unreadable answer that names no
   * item): back off, the breaker counts it, no item is blamed. `mayBeItem`: the answer could be
   * one item crashing the handler (a 5xx), so the batch is bisected and a lone item failing while
   * an empty push succeeds is blamed after N attempts. A 4xx never is: a proxy or an upgrade
   * answers it for every batch, and bisecting it would dead-letter the whole outbox one row at a time.
   */
  | { type: "server"; status: number | null; mayBeItem: boolean; message: string }
  /** Our key was refused: nothing an item can fix; the breaker counts it. */
  | { type: "auth"; status: number; kassaCode: string | null; message: string }
  /** Kassa's typed validation error naming items (`fieldErrors` `items.N…`): exactly those are bad. */
  | { type: "invalid"; items: Map<number, string>; message: string }
  /** 413. `typed`: Kassa's own PAYLOAD_TOO_LARGE (a lone item is then too large by itself). */
  | { type: "too_large"; typed: boolean; message: string }
  /** Admission control: come back later; not a failure of anyone. */
  | { type: "busy"; retryAfterMs: number; message: string }
  /** Our sync lease is stale or held by another process. */
  | { type: "lease"; retryAfterMs: number | null; message: string }
  | { type: "breaker_open"; message: string };

interface ErrorData {
  httpStatus?: number;
  kassaCode?: string;
  fieldErrors?: Record<string, string[]>;
  retryAfterSeconds?: number;
}

/**
 * An HTTP answer that is not JSON (a proxy's HTML error page, a load balancer's plain "Not Found",
 * a captive portal): thrown by the central transport so the status and the start of the body
 * survive tRPC's "not valid JSON" into the classification and the reports.
 */
export class CentralAnswerError extends Error {
  override readonly name = "CentralAnswerError";
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly bodyStart: string,
    /** The answer's Retry-After, in seconds (null when absent or unreadable). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(
      `The central server's address answered HTTP ${status} (${contentType || "no content type"}) that is not Kassa's: ${JSON.stringify(bodyStart)}`,
    );
  }
}

/**
 * Whose fault a failed push is — the only place this is decided (sync README, "Failures"):
 *
 * - *An item's*: Kassa's typed `VALIDATION_FAILED` (`kassaCode` present) whose `fieldErrors`
 *   name `items.N…` — exactly those items; a typed `PAYLOAD_TOO_LARGE` for a batch of one. Per-item
 *   `rejected` results of a successful push are item faults too (handled with the answer).
 * - *The server's*: everything else — no answer, 5xx, 401/403, and every 4xx that names no item:
 *   a body that is not Kassa's (HTML, text, foreign JSON), a tRPC error without item paths (404
 *   "no procedure" or 405 during an upgrade, a 400 for a body a proxy mangled, 415, 422, 409 other
 *   than the lease). Only waiting, the breaker and a person fix those; no item is dead-lettered.
 * - Neither: 429 / RETRY_LATER (admission), LEASE_CONFLICT (fencing).
 */
export function classifyPushFailure(error: unknown): PushFailure {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return {
      type: "breaker_open",
      message: "The central server's breaker is open: waiting before the next probe.",
    };
  }
  const foreign = error instanceof TRPCClientError ? error.cause : error;
  if (foreign instanceof CentralAnswerError) {
    // nginx's own 413 is an HTML page: smaller batches may still pass its limit, so it is halved
    // like any 413 (only a lone item refused this way is the proxy's fault).
    if (foreign.status === 413)
      return { type: "too_large", typed: false, message: readableText(foreign.message) };
    // A proxy's rate limit (nginx limit_req, a gateway) in its own words is "slow down" all the same.
    if (foreign.status === 429) return busy(foreign.retryAfterSeconds, readableText(foreign.message));
    return serverFault(foreign.status, readableText(foreign.message));
  }
  // The message goes to SQLite, the log, breaker causes and the central server: a parse error can
  // quote the binary it choked on.
  const message = readableText(error instanceof Error ? error.message : String(error));
  const data: ErrorData | undefined =
    error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
  // A JSON body that is not a tRPC error (a gateway's `{"error": …}`): the HTTP status still tells.
  const response =
    error instanceof TRPCClientError
      ? (error.meta as { response?: Response } | undefined)?.response
      : undefined;
  const status = data?.httpStatus ?? response?.status ?? null;
  if (status === null) return serverFault(null, message);
  if (status >= 500) return serverFault(status, message);
  // 429 from anyone is "slow down"; it is nobody's fault and opens no breaker.
  if (data?.kassaCode === "RETRY_LATER" || status === 429) {
    return busy(data?.retryAfterSeconds ?? retryAfterOf(response?.headers), message);
  }
  if (data?.kassaCode === "LEASE_CONFLICT") {
    return {
      type: "lease",
      retryAfterMs: data.retryAfterSeconds !== undefined ? data.retryAfterSeconds * 1000 : null,
      message,
    };
  }
  if (status === 401 || status === 403) {
    return { type: "auth", status, kassaCode: data?.kassaCode ?? null, message };
  }
  if (status === 413) return { type: "too_large", typed: data?.kassaCode === "PAYLOAD_TOO_LARGE", message };
  if (data?.kassaCode === "VALIDATION_FAILED") {
    const items = namedItems(data.fieldErrors);
    // Only an item's kind unknown to the server: the central server is older than this agent (a
    // rollout in progress). That is the server's state, not the items' fault — they wait, unbisected.
    if (items.size > 0 && onlyKindsUnknown(data.fieldErrors)) {
      return serverFault(
        status,
        `the central server does not know these item kinds yet (upgrade it): ${message}`,
      );
    }
    if (items.size > 0) return { type: "invalid", items, message };
  }
  return serverFault(status, message);
}

/** Seconds to wait after a "slow down" that did not say how long. */
const DEFAULT_RETRY_AFTER_S = 5;

function busy(retryAfterS: number | null | undefined, message: string): PushFailure {
  return { type: "busy", retryAfterMs: (retryAfterS ?? DEFAULT_RETRY_AFTER_S) * 1000, message };
}

/**
 * An HTTP Retry-After header in seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), capped
 * at an hour so a confused proxy cannot park a till for a day; null when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null | undefined, nowMs = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  // Every HTTP-date form starts with the day's name ("Tue, 01 Dec 2026 12:00:45 GMT").
  const seconds = /^\d+$/.test(text)
    ? Number(text)
    : /^[A-Za-z]{3}/.test(text)
      ? (Date.parse(text) - nowMs) / 1000
      : Number.NaN;
  if (!Number.isFinite(seconds)) return null;
  return Math.min(3600, Math.max(0, Math.ceil(seconds)));
}

/**
 * An answer's Retry-After in seconds, an HTTP-date read against the answer's own Date header when
 * it has one: the same clock wrote both, while a till's clock may be hours off (a till behind by
 * two hours would wait the whole capped hour for a "come back in 30 s").
 */
export function retryAfterOf(headers: Headers | undefined): number | null {
  const answeredAtMs = Date.parse(headers?.get("date") ?? "");
  return retryAfterSeconds(
    headers?.get("retry-after"),
    Number.isFinite(answeredAtMs) ? answeredAtMs : Date.now(),
  );
}

function serverFault(status: number | null, message: string): PushFailure {
  const mayBeItem = status !== null && status >= 500;
  if (status === null || mayBeItem) return { type: "server", status, mayBeItem, message };
  return {
    type: "server",
    status,
    mayBeItem,
    message: `HTTP ${status} naming no item, treated as a server fault (nothing dead-lettered): ${message}`,
  };
}

/**
 * Diagnostic text safe everywhere it goes: control characters spelled out (`\u0000`), lone
 * surrogates (broken UTF-16) replaced by U+FFFD, at most 2,000 characters.
 */
export function readableText(text: string): string {
  return text
    .slice(0, 2000)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}

/** `items.N.path` field errors → item index → what is wrong with it. Other paths name no item. */
function namedItems(fieldErrors: Record<string, string[]> | undefined): Map<number, string> {
  const items = new Map<number, string>();
  for (const [path, messages] of Object.entries(fieldErrors ?? {})) {
    const match = /^items\.(\d+)(?:\.(.*))?$/.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    const line = `${match[2] ?? "item"}: ${messages.join("; ")}`;
    items.set(index, items.has(index) ? `${items.get(index)}; ${line}` : line);
  }
  return items;
}

/** Every field error is about `items.N.kind`: the server's schema has no such kind. */
function onlyKindsUnknown(fieldErrors: Record<string, string[]> | undefined): boolean {
  const paths = Object.keys(fieldErrors ?? {});
  return paths.length > 0 && paths.every((path) => /^items\.\d+\.kind$/.test(path));
}

/** What the central breaker counts as a failure of the destination. */
export function isDestinationFailure(error: unknown): boolean {
  const type = classifyPushFailure(error).type;
  return type === "server" || type === "auth";
}

/** The breaker transition's cause: the classified message (status, "naming no item"), not tRPC's. */
export function describeDestinationFailure(error: unknown): string {
  return classifyPushFailure(error).message.slice(0, 500);
}
