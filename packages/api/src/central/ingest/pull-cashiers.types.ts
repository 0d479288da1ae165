import { z } from "zod";

export const ZPullCashiersInput = z.object({
  /** The version the till already has (from its last pull); null for a full list. */
  since: z.string().max(64).nullable(),
});

export const ZPullCashiersOutput = z.object({
  version: z.string(),
  /** null = unchanged since `since`. */
  cashiers: z
    .array(
      z.object({
        id: z.string(),
        login: z.string(),
        name: z.string(),
        inn: z.string().nullable(),
        pinHash: z.string(),
      }),
    )
    .nullable(),
});
