import type { z } from "zod";
import { ZDlqActionInput, ZDlqActionOutput } from "./dlq-action.types.ts";

/** Retry: the till puts each item back in its outbox and sends it again on that sync. */
export const ZRetryDlqItemsInput = ZDlqActionInput;
export type TRetryDlqItemsInput = z.input<typeof ZRetryDlqItemsInput>;
export const ZRetryDlqItemsOutput = ZDlqActionOutput;
export type TRetryDlqItemsOutput = z.infer<typeof ZRetryDlqItemsOutput>;
