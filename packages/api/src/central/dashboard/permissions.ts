import type { Role } from "@kassa/db/central";
import { AppError } from "../../errors.ts";
import { dashboardProcedure } from "./dashboard-procedure.ts";

/**
 * What each role may do, in one table. Every dashboard procedure is built with `permitted(…)` naming
 * one of these, so the server — not the page — decides: a manager's DLQ retry is FORBIDDEN however it
 * is sent. Store scope is applied on top by `scopeWhere` (a store-scoped role sees only its stores).
 */
export const PERMISSIONS = {
  /** One's own account and memberships. */
  "profile.view": ["owner", "manager", "support"],
  /** Fleet, terminals, receipts, breaker history, RUM: every member may look. */
  "fleet.view": ["owner", "manager", "support"],
  "receipts.view": ["owner", "manager", "support"],
  "breakers.view": ["owner", "manager", "support"],
  /** The DLQ and its audit log: everyone looks; support and owners act (retry, discard). */
  "dlq.view": ["owner", "manager", "support"],
  "dlq.act": ["owner", "support"],
  /** Cash reconciliation: everyone looks; a variance above tolerance is approved by a manager or owner. */
  "cash.view": ["owner", "manager", "support"],
  "cash.approve": ["owner", "manager"],
  /** Real-user monitoring (issue 11): every member looks, at the stores their role covers. */
  "rum.view": ["owner", "manager", "support"],
  /** Alerts: everyone sees those of their stores; only an owner changes the organization's thresholds. */
  "alerts.view": ["owner", "manager", "support"],
  "alerts.configure": ["owner"],
  /**
   * The admin area (issue 10). Owners run the chain: only they change stores, tills, people and
   * settings. Managers and support look at stores and tills (support diagnoses a till's key and last
   * contact; a manager sees their stores' tills); managers read the settings cash reconciliation
   * uses; people are the owners' alone. The audit log is everyone's, narrowed to their stores.
   */
  "stores.view": ["owner", "manager", "support"],
  "stores.manage": ["owner"],
  "tills.view": ["owner", "manager", "support"],
  "tills.manage": ["owner"],
  "people.view": ["owner"],
  "people.manage": ["owner"],
  "settings.view": ["owner", "manager"],
  "settings.manage": ["owner"],
  "audit.view": ["owner", "manager", "support"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether `role` holds `permission`. */
export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * A dashboard procedure that needs `permission`: the handler's `ctx.scope` keeps only the memberships
 * whose role holds it (so queries through `scopeWhere` can reach nothing else), and a user with no
 * such membership is answered FORBIDDEN before the handler runs.
 */
export function permitted(permission: Permission) {
  return dashboardProcedure.meta({ permission }).use(async ({ ctx, next, getRawInput }) => {
    refuseNul(await getRawInput());
    const memberships = ctx.scope.memberships.filter((m) => roleCan(m.role, permission));
    if (memberships.length === 0) {
      throw new AppError("FORBIDDEN", {
        message: `Your role does not allow this (${permission}): ask an owner.`,
      });
    }
    return next({ ctx: { ...ctx, scope: { ...ctx.scope, memberships } } });
  });
}

/**
 * PostgreSQL text cannot hold a NUL character: an id, name or reason carrying one would reach a
 * query and come back as an internal error. Every dashboard input is refused here instead, in one
 * place, as a field error naming where the NUL is — before any handler reads or writes.
 */
function refuseNul(input: unknown): void {
  const found = nulAt(input, [], 0);
  if (found === null) return;
  const field = found.length > 0 ? found.join(".") : "_";
  throw new AppError("VALIDATION_FAILED", {
    message: `The input holds a NUL character (at ${field}): remove it and try again.`,
    fieldErrors: { [field]: ["Contains a NUL character"] },
  });
}

function nulAt(value: unknown, path: string[], depth: number): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  // Deeper than any dashboard input nests: zod refuses such shapes on its own.
  if (value === null || typeof value !== "object" || depth > 8) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key];
    const found = nulAt(inner, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
