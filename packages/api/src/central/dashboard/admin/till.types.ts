import { z } from "zod";

export const ZTillName = z.string().trim().min(1, "Give the till a name.").max(120);

/** The central URL the till reaches this server at (the page passes its own origin). */
export const ZCentralUrl = z
  .string()
  .trim()
  .max(512)
  .pipe(z.url({ protocol: /^https?$/, message: "The central URL must be an http(s) address." }));

export const ZAdminTill = z.object({
  organizationId: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  timezone: z.string(),
  id: z.string(),
  name: z.string(),
  status: z.enum(["active", "retired"]),
  createdAt: z.date(),
  /** Last contact: the till's last sync with the central server. */
  lastSyncAt: z.date().nullable(),
  keyRotatedAt: z.date().nullable(),
  retiredAt: z.date().nullable(),
  /** The register as the till last reported it (terminal_status); null fields = not known. */
  register: z.object({
    model: z.string().nullable(),
    fnNumber: z.string().nullable(),
    firmware: z.string().nullable(),
  }),
});
export type TAdminTill = z.infer<typeof ZAdminTill>;

export const TILL_STATUS_FILTERS = ["active", "retired", "all"] as const;
export const TILL_SORT_COLUMNS = ["name", "lastSyncAt", "createdAt"] as const;

export const ZListTillsInput = z
  .object({
    organizationId: z.string().min(1).max(64).optional(),
    storeId: z.string().min(1).max(64).optional(),
    status: z.enum(TILL_STATUS_FILTERS).default("active"),
    sort: z.enum(TILL_SORT_COLUMNS).default("name"),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .default({ status: "active", sort: "name", order: "asc" });
export type TListTillsInput = z.input<typeof ZListTillsInput>;
export const ZListTillsOutput = z.object({ tills: z.array(ZAdminTill) });
export type TListTillsOutput = z.infer<typeof ZListTillsOutput>;

export const ZAgentConfig = z.object({ env: z.record(z.string(), z.string()), text: z.string() });

/** The one answer that carries a terminal key in plain text: shown once, never stored. */
export const ZTillKeyOutput = z.object({
  till: ZAdminTill,
  terminalKey: z.string(),
  config: ZAgentConfig,
});
export type TTillKeyOutput = z.infer<typeof ZTillKeyOutput>;

export const ZProvisionTillInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  storeId: z.string().min(1).max(64),
  name: ZTillName,
  centralUrl: ZCentralUrl,
});
export type TProvisionTillInput = z.input<typeof ZProvisionTillInput>;

export const ZRotateTillKeyInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  terminalId: z.string().min(1).max(64),
  centralUrl: ZCentralUrl,
});
export type TRotateTillKeyInput = z.input<typeof ZRotateTillKeyInput>;

export const ZRetireTillInput = z.object({
  organizationId: z.string().min(1).max(64).optional(),
  terminalId: z.string().min(1).max(64),
});
export type TRetireTillInput = z.input<typeof ZRetireTillInput>;
