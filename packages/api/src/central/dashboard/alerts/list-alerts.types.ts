import { z } from "zod";
import { ALERT_RULES, ALERT_UNITS } from "../../alerts/rules.ts";

const id = z.string().min(1).max(64);

export const ZAlertRule = z.enum(ALERT_RULES);
export const ZAlertUnit = z.enum([...new Set(Object.values(ALERT_UNITS))] as [string, ...string[]]);
/** firing = not resolved yet; resolved = history; all = both. */
export const ZAlertStateFilter = z.enum(["firing", "resolved", "all"]);

/** The Alerts page's filters (its URL), shared by the list and the shell's count. */
export const ZAlertFilterFields = z.object({
  rule: ZAlertRule.optional(),
  storeId: id.optional(),
  terminalId: id.optional(),
});

export const ZListAlertsInput = ZAlertFilterFields.extend({
  state: ZAlertStateFilter.default("firing"),
  cursor: z.string().min(1).max(512).optional(),
  /** Page size; default 50. */
  limit: z.number().int().min(1).max(200).default(50),
}).prefault({});
export type TListAlertsInput = z.input<typeof ZListAlertsInput>;

/** One alert: a rule's condition for one till (and destination) from fired to resolved. */
export const ZAlertView = z.object({
  organizationId: z.string(),
  id: z.string(),
  rule: ZAlertRule,
  terminalId: z.string().nullable(),
  terminalName: z.string().nullable(),
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  /** The breaker's destination (central, ofd) for breaker_open; null otherwise. */
  destination: z.string().nullable(),
  firedAt: z.date(),
  resolvedAt: z.date().nullable(),
  /** The figure when it fired and the threshold it crossed, in `unit`. */
  value: z.number(),
  threshold: z.number(),
  unit: ZAlertUnit,
});
export type TAlertView = z.infer<typeof ZAlertView>;

export const ZListAlertsOutput = z.object({
  items: z.array(ZAlertView),
  /** Alerts matching the filters, over every page. */
  total: z.number().int(),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListAlertsOutput = z.infer<typeof ZListAlertsOutput>;
