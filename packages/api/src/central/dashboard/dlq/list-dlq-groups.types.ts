import { z } from "zod";
import { refineAgeRange, ZDlqFilterFields, ZDlqStateFilter } from "./dlq-filter.types.ts";

export const ZListDlqGroupsInput = ZDlqFilterFields.extend({
  state: ZDlqStateFilter.default("pending"),
  /** Largest groups first; default 50. */
  limit: z.number().int().min(1).max(200).default(50),
}).superRefine(refineAgeRange);
export type TListDlqGroupsInput = z.input<typeof ZListDlqGroupsInput>;

/** Items failing for one cause: one error fingerprint (code + normalised message) in one organization. */
export const ZDlqGroup = z.object({
  organizationId: z.string(),
  fingerprint: z.string(),
  errorCode: z.string(),
  /** The latest item's message with ids, numbers and quoted values blanked. */
  message: z.string(),
  /** The latest item's message as it was. */
  example: z.string(),
  kinds: z.array(z.string()),
  items: z.number().int(),
  tills: z.number().int(),
  firstSeen: z.date(),
  lastSeen: z.date(),
});
export type TDlqGroup = z.infer<typeof ZDlqGroup>;

export const ZListDlqGroupsOutput = z.object({
  groups: z.array(ZDlqGroup),
  /** Groups matching the filters (more than `groups` when the limit cut the list). */
  total: z.number().int(),
});
export type TListDlqGroupsOutput = z.infer<typeof ZListDlqGroupsOutput>;
