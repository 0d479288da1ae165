import { z } from "zod";

/**
 * An IANA time zone ("Europe/Moscow"): a store's shifts, days and receipt times are shown in it.
 * Checked against the runtime's own tz database; UTC offsets ("+03:00") are refused, because
 * they do not follow a region's daylight-saving rules.
 */
export const ZTimeZone = z
  .string()
  .trim()
  .min(1, "Choose the store's time zone.")
  .max(64)
  .refine((zone) => isIanaTimeZone(zone), {
    message: 'Not a time zone Kassa knows: use an IANA name such as "Europe/Moscow".',
  });

export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const ZStoreName = z.string().trim().min(1, "Give the store a name.").max(120);
export const ZStoreAddress = z.string().trim().max(500).nullable();

export const ZAdminStore = z.object({
  organizationId: z.string(),
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  address: z.string().nullable(),
  /** Active tills of the store. */
  tills: z.number().int(),
  createdAt: z.date(),
});
export type TAdminStore = z.infer<typeof ZAdminStore>;

export const ZListStoresInput = z
  .object({ organizationId: z.string().min(1).max(64).optional() })
  .default({});
export type TListStoresInput = z.input<typeof ZListStoresInput>;
export const ZListStoresOutput = z.object({ stores: z.array(ZAdminStore) });
export type TListStoresOutput = z.infer<typeof ZListStoresOutput>;

export const ZCreateStoreInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  name: ZStoreName,
  timezone: ZTimeZone,
  address: ZStoreAddress.optional(),
});
export type TCreateStoreInput = z.input<typeof ZCreateStoreInput>;

export const ZUpdateStoreInput = z.object({
  organizationId: z.string().min(1).max(64),
  storeId: z.string().min(1).max(64),
  name: ZStoreName.optional(),
  timezone: ZTimeZone.optional(),
  /** null clears it. */
  address: ZStoreAddress.optional(),
});
export type TUpdateStoreInput = z.input<typeof ZUpdateStoreInput>;
