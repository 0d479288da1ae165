import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError, type ZodIssue } from "zod";

/**
 * Kassa's application error codes: one documented enum, mapped to tRPC (and so to HTTP) in one
 * place. A POS written in any language reads `error.data.kassaCode`.
 */
export const AppErrorCode = {
  VALIDATION_FAILED: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  /** The terminal requires PIN login (KASSA_REQUIRE_LOGIN=1) and the call carried no cashier session. */
  LOGIN_REQUIRED: "UNAUTHORIZED",
  /** The cashier session is unknown or expired: log in again. */
  SESSION_INVALID: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  /**
   * The till sent the key it had before an owner rotated it in the dashboard: install the new key
   * (KASSA_TERMINAL_KEY). Distinct from UNAUTHORIZED so the till can say plainly what happened.
   */
  TERMINAL_KEY_ROTATED: "UNAUTHORIZED",
  /** The till was retired in the dashboard: its key is refused for good. */
  TERMINAL_RETIRED: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  IDEMPOTENCY_CONFLICT: "CONFLICT",
  RECEIPT_CONFLICT: "CONFLICT",
  /** receipts.void on a receipt that is not `needs_attention` (printed, printing, waiting, already voided). */
  RECEIPT_NOT_VOIDABLE: "CONFLICT",
  LEASE_CONFLICT: "CONFLICT",
  /** cash.approve on a shift with nothing to approve now (open, not counted, within tolerance, approved, provisional). */
  CASH_NOT_APPROVABLE: "CONFLICT",
  /** Removing or demoting the organization's last owner: make someone else owner first. */
  LAST_OWNER: "CONFLICT",
  /** An invitation to an email already a member, or a store/till name already taken. */
  ALREADY_EXISTS: "CONFLICT",
  /**
   * A set-password link that is unknown, expired, already used or revoked: ask for a new one; or,
   * for an email that has an account, no or a wrong current password (fieldErrors.currentPassword).
   */
  INVITATION_INVALID: "UNPROCESSABLE_CONTENT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  SHIFT_CLOSED: "UNPROCESSABLE_CONTENT",
  SHIFT_EXPIRED: "UNPROCESSABLE_CONTENT",
  SHIFT_ALREADY_OPEN: "UNPROCESSABLE_CONTENT",
  DEVICE_UNAVAILABLE: "UNPROCESSABLE_CONTENT",
  /** The agent runs offline-only (no KASSA_CENTRAL_URL / KASSA_TERMINAL_KEY): nothing to sync with. */
  SYNC_DISABLED: "UNPROCESSABLE_CONTENT",
  USER_LOCKED: "TOO_MANY_REQUESTS",
  RETRY_LATER: "TOO_MANY_REQUESTS",
  BUFFER_FULL: "SERVICE_UNAVAILABLE",
  /**
   * Another writer holds the till's buffer (a second agent process on its data directory) and
   * took what this write needed: nothing was written, the same call may be retried.
   */
  BUFFER_CONFLICT: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type AppErrorCode = keyof typeof AppErrorCode;

/** Field path ("items.0.quantity") → messages. */
export type FieldErrors = Record<string, string[]>;

export interface AppErrorOptions {
  message: string;
  fieldErrors?: FieldErrors;
  /** For RETRY_LATER / BUFFER_FULL: when the caller may try again. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class AppError extends TRPCError {
  readonly kassaCode: AppErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kassaCode: AppErrorCode, options: AppErrorOptions) {
    super({ code: AppErrorCode[kassaCode], message: options.message, cause: options.cause });
    this.name = "AppError";
    this.kassaCode = kassaCode;
    this.fieldErrors = options.fieldErrors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Flattens a ZodError into dotted paths, so a form can put each message beside its field. */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  const add = (issue: ZodIssue, prefix: PropertyKey[]) => {
    const union = issue.code === "invalid_union" ? matchedBranch(issue.errors) : null;
    if (union) {
      for (const inner of union) add(inner, [...prefix, ...issue.path]);
      return;
    }
    const full = [...prefix, ...issue.path];
    const path = full.length > 0 ? full.map(String).join(".") : "_";
    fieldErrors[path] = [...(fieldErrors[path] ?? []), issue.message];
  };
  for (const issue of error.issues) add(issue, []);
  return fieldErrors;
}

/**
 * The one union branch whose shape the input has (no top-level key missing or of the wrong type), so
 * `cashier: {name: "…🍊"}` reports `cashier.name`'s own problem instead of "Invalid input".
 */
function matchedBranch(branches: ZodIssue[][]): ZodIssue[] | null {
  const matched = branches.filter((issues) =>
    issues.every((issue) => !(issue.code === "invalid_type" && issue.path.length <= 1)),
  );
  return matched.length === 1 ? (matched[0] ?? null) : null;
}

export interface KassaErrorData {
  kassaCode: AppErrorCode;
  fieldErrors?: FieldErrors;
  retryAfterSeconds?: number;
}

/**
 * The tRPC `errorFormatter` both servers use: adds `kassaCode`, `fieldErrors` and
 * `retryAfterSeconds` to `error.data`, and never leaks a stack trace.
 */
export function formatKassaError<TShape extends { data: object }>({
  shape,
  error,
}: {
  shape: TShape;
  error: TRPCError;
}): TShape & { data: TShape["data"] & KassaErrorData } {
  const { stack: _stack, ...data } = shape.data as TShape["data"] & { stack?: string };
  if (error instanceof AppError) {
    return {
      ...shape,
      data: {
        ...data,
        kassaCode: error.kassaCode,
        ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
    };
  }
  if (error.cause instanceof ZodError) {
    return {
      ...shape,
      message: "The request is invalid: see fieldErrors.",
      data: { ...data, kassaCode: "VALIDATION_FAILED", fieldErrors: zodFieldErrors(error.cause) },
    };
  }
  const kassaCode = (Object.entries(AppErrorCode).find(([, code]) => code === error.code)?.[0] ??
    "INTERNAL") as AppErrorCode;
  return { ...shape, data: { ...data, kassaCode } };
}
