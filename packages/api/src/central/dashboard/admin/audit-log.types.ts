import { z } from "zod";

export const AUDIT_KINDS = ["admin", "dlq"] as const;

export const ZListAuditLogInput = z
  .object({
    organizationId: z.string().min(1).max(64).optional(),
    /** Only admin changes, or only DLQ actions; absent = both. */
    kind: z.enum(AUDIT_KINDS).optional(),
    cursor: z.string().min(1).max(512).optional(),
    /** Page size; default 25. */
    limit: z.number().int().min(1).max(100).default(25),
  })
  .default({ limit: 25 });
export type TListAuditLogInput = z.input<typeof ZListAuditLogInput>;

/** One line of the audit log: an admin change (audit_events) or a DLQ action (dlq_actions). */
export const ZAuditLogEntry = z.object({
  kind: z.enum(AUDIT_KINDS),
  organizationId: z.string(),
  id: z.string(),
  at: z.date(),
  /** The actor's email at the time. */
  actor: z.string(),
  /** The actor's role then (DLQ actions did not record it: null). */
  role: z.string().nullable(),
  /** `store.create` …, or `dlq.retry` / `dlq.discard`. */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  summary: z.string(),
  result: z.string(),
});
export type TAuditLogEntry = z.infer<typeof ZAuditLogEntry>;

export const ZListAuditLogOutput = z.object({
  entries: z.array(ZAuditLogEntry),
  nextCursor: z.string().nullable(),
});
export type TListAuditLogOutput = z.infer<typeof ZListAuditLogOutput>;
