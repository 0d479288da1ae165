import { z } from "zod";
import { refineAgeRange, ZDlqFilterFields, ZDlqItemKey } from "./dlq-filter.types.ts";

/**
 * Which items an action is for: named items (one, or a selection from the list), a whole group —
 * every pending item of one fingerprint that matches the list's filters — or every pending item
 * the list's filters match ("all N matching", e.g. every VALIDATION_FAILED of a store).
 */
export const ZDlqSelection = z.discriminatedUnion("type", [
  z.object({ type: z.literal("items"), items: z.array(ZDlqItemKey).min(1).max(1000) }),
  z.object({
    type: z.literal("group"),
    fingerprint: z.string().min(1).max(200),
    filter: ZDlqFilterFields.omit({ organizationId: true, fingerprint: true })
      .default({})
      .superRefine(refineAgeRange),
  }),
  z.object({
    type: z.literal("filter"),
    filter: ZDlqFilterFields.omit({ organizationId: true }).superRefine(refineAgeRange),
  }),
]);
export type TDlqSelection = z.input<typeof ZDlqSelection>;

export const ZDlqActionInput = z.object({
  /** Actions run inside one organization: its commands and audit rows share its key. */
  organizationId: z.string().min(1).max(64),
  selection: ZDlqSelection,
  /** Count what the action would touch and write nothing. */
  dryRun: z.boolean().default(false),
  /**
   * The dry run's count, as confirmed by the person: if the selection now holds another number of
   * items (new items arrived, another action took some), nothing is written and the answer says so.
   */
  expectCount: z.number().int().min(0).optional(),
});

export const ZDlqActionOutput = z.object({
  dryRun: z.boolean(),
  /** The audit log entry of this action; null for a dry run. */
  actionId: z.string().nullable(),
  /** Items named (a selection) or matched (a group). */
  requested: z.number().int(),
  /** Commands issued (a dry run: that would be issued). */
  issued: z.number().int(),
  /** Named items not acted on: not pending, a command already on its way, or not visible to you. */
  skipped: z.number().int(),
});
export type TDlqActionOutput = z.infer<typeof ZDlqActionOutput>;
