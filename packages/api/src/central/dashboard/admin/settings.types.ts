import { z } from "zod";

export const ORGANIZATION_LOCALES = ["en", "ru"] as const;

/** 0 … 1,000,000 ₽ in kopecks: a tolerance above that would approve every shift by itself. */
export const MAX_CASH_TOLERANCE = 100_000_000n;

export const ZOrganizationSettings = z.object({
  organizationId: z.string(),
  name: z.string(),
  /** Kopecks: a shift's |counted − expected| above it needs a manager's approval (cash reconciliation). */
  cashTolerance: z.bigint(),
  /** The language members see while their browser has no kassa-locale cookie. */
  defaultLocale: z.enum(ORGANIZATION_LOCALES),
});
export type TOrganizationSettings = z.infer<typeof ZOrganizationSettings>;

export const ZGetSettingsInput = z
  .object({ organizationId: z.string().min(1).max(64).optional() })
  .default({});
export type TGetSettingsInput = z.input<typeof ZGetSettingsInput>;

export const ZUpdateSettingsInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  cashTolerance: z
    .bigint()
    .min(0n, "The tolerance cannot be negative.")
    .max(MAX_CASH_TOLERANCE, "At most 1,000,000 ₽.")
    .optional(),
  defaultLocale: z.enum(ORGANIZATION_LOCALES).optional(),
});
export type TUpdateSettingsInput = z.input<typeof ZUpdateSettingsInput>;
