import { z } from "zod";
import {
  refineAgeRange,
  ZDlqCommandView,
  ZDlqFilterFields,
  ZDlqItemState,
  ZDlqStateFilter,
} from "./dlq-filter.types.ts";

export const ZListDlqItemsInput = ZDlqFilterFields.extend({
  state: ZDlqStateFilter.default("pending"),
  cursor: z.string().min(1).max(512).optional(),
  /** Page size; default 50. */
  limit: z.number().int().min(1).max(200).default(50),
}).superRefine(refineAgeRange);
export type TListDlqItemsInput = z.input<typeof ZListDlqItemsInput>;

/** One line of the triage list. */
export const ZDlqItemSummary = z.object({
  organizationId: z.string(),
  terminalId: z.string(),
  terminalName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  id: z.string(),
  destination: z.string(),
  kind: z.string(),
  itemId: z.string(),
  state: ZDlqItemState,
  errorCode: z.string(),
  fingerprint: z.string(),
  reason: z.string(),
  attempts: z.number().int(),
  /** When the central server first saw it dead (the mirror's first arrival). */
  deadAt: z.date(),
  updatedAt: z.date(),
  discardReason: z.string().nullable(),
  /** Support's latest command on it; null if none was ever issued. */
  command: ZDlqCommandView.nullable(),
});
export type TDlqItemSummary = z.infer<typeof ZDlqItemSummary>;

export const ZListDlqItemsOutput = z.object({
  items: z.array(ZDlqItemSummary),
  /** Items matching the filters, over every page. */
  total: z.number().int(),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListDlqItemsOutput = z.infer<typeof ZListDlqItemsOutput>;
