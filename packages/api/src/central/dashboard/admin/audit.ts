import type { Prisma, Role } from "@kassa/db/central";
import { newId } from "@kassa/db/central";

/** Every kind of admin change the audit log records (audit_events.action). */
export const ADMIN_ACTIONS = [
  "store.create",
  "store.update",
  "till.provision",
  "till.rotate_key",
  "till.retire",
  "member.invite",
  "member.update",
  "member.remove",
  "invitation.revoke",
  "invitation.accept",
  "settings.update",
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export const AUDIT_TARGETS = ["store", "till", "member", "invitation", "organization"] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

/** Who made a change: their id, their email at the time (the log outlives renames) and their role. */
export interface AuditActor {
  id: string;
  email: string;
  role: Role;
}

export interface AuditEntry {
  action: AdminAction;
  targetType: AuditTarget;
  targetId: string;
  /** One line a person reads in the log ("Renamed store Tverskaya → Tverskaya 12"). */
  summary: string;
  /** The change's before/after values, for the record. */
  details?: Record<string, unknown>;
  /** The stores the change concerns: a store-scoped member sees only events of their stores; [] = the organization's. */
  storeIds?: string[];
}

/**
 * Writes the audit row of an admin change. Called with the change's own transaction client, so the
 * change and its record commit together or not at all — there is no change without its row.
 */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  organizationId: string,
  actor: AuditActor,
  entry: AuditEntry,
  at: Date,
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      organizationId,
      id: newId(at.getTime()),
      at,
      actorId: actor.id,
      actor: actor.email,
      role: actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      summary: entry.summary,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
      result: "done",
      storeIds: entry.storeIds ?? [],
    },
  });
}
