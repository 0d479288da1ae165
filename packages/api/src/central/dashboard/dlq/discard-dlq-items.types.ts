import { z } from "zod";
import { ZDlqActionInput, ZDlqActionOutput } from "./dlq-action.types.ts";

/** Discard: the till keeps each item, marked discarded with the reason (nothing is dropped silently). */
export const ZDiscardDlqItemsInput = ZDlqActionInput.extend({
  reason: z.string().trim().min(1, "Say why the items are discarded.").max(2000),
});
export type TDiscardDlqItemsInput = z.input<typeof ZDiscardDlqItemsInput>;
export const ZDiscardDlqItemsOutput = ZDlqActionOutput;
export type TDiscardDlqItemsOutput = z.infer<typeof ZDiscardDlqItemsOutput>;
