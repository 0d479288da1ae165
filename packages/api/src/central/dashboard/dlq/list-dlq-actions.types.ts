import { z } from "zod";

export const ZListDlqActionsInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  action: z.enum(["retry", "discard"]).optional(),
  cursor: z.string().min(1).max(512).optional(),
  /** Page size; default 25. */
  limit: z.number().int().min(1).max(100).default(25),
});
export type TListDlqActionsInput = z.input<typeof ZListDlqActionsInput>;

/** One entry of the DLQ audit log: who did what, when, to how many items, and how it went. */
export const ZDlqActionEntry = z.object({
  organizationId: z.string(),
  id: z.string(),
  action: z.enum(["retry", "discard"]),
  selection: z.enum(["items", "group", "filter"]),
  /** The group's fingerprint (a group action); null for named items. */
  fingerprint: z.string().nullable(),
  reason: z.string().nullable(),
  actor: z.string(),
  at: z.date(),
  requested: z.number().int(),
  issued: z.number().int(),
  skipped: z.number().int(),
  /** Its commands by state now: the result as the tills report it. */
  commands: z.object({
    issued: z.number().int(),
    delivered: z.number().int(),
    applied: z.number().int(),
    failed: z.number().int(),
  }),
});
export type TDlqActionEntry = z.infer<typeof ZDlqActionEntry>;

export const ZListDlqActionsOutput = z.object({
  actions: z.array(ZDlqActionEntry),
  nextCursor: z.string().nullable(),
});
export type TListDlqActionsOutput = z.infer<typeof ZListDlqActionsOutput>;
