import { z } from "zod";

export const ZGetMeOutput = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  memberships: z.array(
    z.object({
      organizationId: z.string(),
      organizationName: z.string(),
      role: z.enum(["owner", "manager", "support"]),
      /** Null = every store of the organization. */
      storeIds: z.array(z.string()).nullable(),
    }),
  ),
  stores: z.array(
    z.object({ organizationId: z.string(), id: z.string(), name: z.string(), timezone: z.string() }),
  ),
});
export type TGetMeOutput = z.infer<typeof ZGetMeOutput>;
