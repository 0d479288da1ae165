import { z } from "zod";
import { ZStoredText } from "../../content.ts";

export const ZDlqItem = z.object({
  id: z.string(),
  destination: z.string(),
  kind: z.string(),
  itemId: z.string(),
  attempts: z.number(),
  lastError: z.string(),
  /** ISO-8601 of when the item was dead-lettered. */
  failedAt: z.string(),
  payload: z.unknown().optional(),
});
export type TDlqItem = z.infer<typeof ZDlqItem>;

export const ZDlqListInput = z.object({
  destination: z.string().max(32).optional(),
  limit: z.int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
});
export type TDlqListInput = z.infer<typeof ZDlqListInput>;

export const ZDlqListOutput = z.object({
  items: z.array(ZDlqItem),
  nextCursor: z.string().nullable(),
  total: z.number(),
});
export type TDlqListOutput = z.infer<typeof ZDlqListOutput>;

export const ZDlqRetryInput = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(10_000) });
export type TDlqRetryInput = z.infer<typeof ZDlqRetryInput>;
export const ZDlqRetryOutput = z.object({ retried: z.number() });
export type TDlqRetryOutput = z.infer<typeof ZDlqRetryOutput>;

export const ZDlqDiscardInput = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1).max(10_000),
  /** Stored and synced with the item; never printed. */
  reason: ZStoredText(500),
});
export type TDlqDiscardInput = z.infer<typeof ZDlqDiscardInput>;
export const ZDlqDiscardOutput = z.object({ discarded: z.number() });
export type TDlqDiscardOutput = z.infer<typeof ZDlqDiscardOutput>;
