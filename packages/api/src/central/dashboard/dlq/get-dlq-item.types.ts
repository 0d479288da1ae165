import { z } from "zod";
import { ZDlqCommandView, ZDlqItemKey } from "./dlq-filter.types.ts";
import { ZDlqItemSummary } from "./list-dlq-items.types.ts";

export const ZGetDlqItemInput = ZDlqItemKey;
export type TGetDlqItemInput = z.input<typeof ZGetDlqItemInput>;

export const ZGetDlqItemOutput = ZDlqItemSummary.extend({
  payload: z.object({
    /** The bytes as UTF-8 text (U+FFFD where they are not UTF-8). */
    text: z.string(),
    /** Indented when the text is JSON, else the text as it is. */
    pretty: z.string(),
    isJson: z.boolean(),
    bytes: z.number().int(),
  }),
  /** The last errors (up to 20), oldest first, each with its attempt number. */
  errors: z.array(z.object({ attempt: z.number().int(), at: z.string(), message: z.string() })),
  /** Every command support issued on it, oldest first. */
  commands: z.array(ZDlqCommandView),
  /** Who did what to it, and when: support's actions and the till's acknowledgements, oldest first. */
  audit: z.array(
    z.object({
      at: z.date(),
      event: z.string(),
      actor: z.string(),
      reason: z.string().nullable(),
      commandId: z.string(),
      actionId: z.string().nullable(),
    }),
  ),
});
export type TGetDlqItemOutput = z.infer<typeof ZGetDlqItemOutput>;
