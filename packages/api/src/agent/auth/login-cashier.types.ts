import { z } from "zod";

export const ZLoginInput = z.object({
  login: z.string().trim().min(1).max(64),
  pin: z.string().regex(/^\d{4,8}$/, "must be 4-8 digits"),
});
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZLoginOutput = z.object({
  /** Send as `cashier: {session}` in receipt, shift and cash calls. */
  session: z.string(),
  cashier: z.object({ id: z.string(), login: z.string(), name: z.string(), inn: z.string().optional() }),
  expiresAt: z.string(),
});
export type TLoginOutput = z.infer<typeof ZLoginOutput>;
