import { TRPCClientError } from "@trpc/client";
import { BrokenCircuitError, IsolatedCircuitError } from "cockatiel";

/** How a failed push is handled. */
export type PushFailure =
  /** Network down, timeout, 5xx, unreadable answer: the destination's fault; the breaker counts it. */
  | { type: "transport"; status: number | null; message: string }
  /** Our key was refused: nothing an item can fix; the breaker counts it. */
  | { type: "auth"; status: number; message: string }
  /** The batch failed validation; `items` are the indexes named in the field errors. */
  | { type: "invalid"; items: Map<number, string>; message: string }
  | { type: "too_large"; message: string }
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

export function classifyPushFailure(error: unknown): PushFailure {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return {
      type: "breaker_open",
      message: "The central server's breaker is open: waiting before the next probe.",
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const data: ErrorData | undefined =
    error instanceof TRPCClientError ? (error.data as ErrorData) : undefined;
  // A proxy's 502 or a crashed handler answers without a tRPC body: the HTTP status still tells.
  const response =
    error instanceof TRPCClientError
      ? (error.meta as { response?: Response } | undefined)?.response
      : undefined;
  const status = data?.httpStatus ?? response?.status ?? null;
  if (!data || status === null || status >= 500) return { type: "transport", status, message };
  if (data.kassaCode === "RETRY_LATER" || status === 429) {
    return { type: "busy", retryAfterMs: (data.retryAfterSeconds ?? 5) * 1000, message };
  }
  if (data.kassaCode === "LEASE_CONFLICT") {
    return {
      type: "lease",
      retryAfterMs: data.retryAfterSeconds !== undefined ? data.retryAfterSeconds * 1000 : null,
      message,
    };
  }
  if (status === 401 || status === 403) return { type: "auth", status, message };
  if (status === 413) return { type: "too_large", message };
  const items = new Map<number, string>();
  for (const [path, messages] of Object.entries(data.fieldErrors ?? {})) {
    const match = /^items\.(\d+)(?:\.(.*))?$/.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    const line = `${match[2] ?? "item"}: ${messages.join("; ")}`;
    items.set(index, items.has(index) ? `${items.get(index)}; ${line}` : line);
  }
  return { type: "invalid", items, message };
}

/** What the central breaker counts as a failure of the destination. */
export function isDestinationFailure(error: unknown): boolean {
  const type = classifyPushFailure(error).type;
  return type === "transport" || type === "auth";
}
