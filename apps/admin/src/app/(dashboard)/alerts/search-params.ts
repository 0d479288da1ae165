import type { TAlertRule, TListAlertsInput } from "@kassa/api/central/dashboard";
import { createLoader, type inferParserType, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { parseAsCursor } from "~/lib/table-search-params.ts";

// The Alerts page in the URL (rule, store, state, page), read by the page on the server to prefetch
// and by the filters and table in the browser: one definition, so both ask for the same query key.

/** The rules in the page's order (packages/api alerts/rules.ts ALERT_RULES; checked below). */
export const ALERT_RULE_VALUES = [
  "till_silent",
  "sync_latency",
  "buffer_fill",
  "breaker_open",
  "fn_unsent_age",
  "clock_skew",
  "dlq_growth",
] as const satisfies readonly TAlertRule[];
// A rule added on the server and not here fails the typecheck instead of missing from the filter.
const everyRule: Exclude<TAlertRule, (typeof ALERT_RULE_VALUES)[number]> extends never ? true : never = true;
void everyRule;

export const ALERT_STATES = ["firing", "resolved", "all"] as const;
export const ALERTS_PAGE_SIZE = 50;
/** The page and the shell's count poll at this pace: evaluation runs once a minute. */
export const ALERTS_REFRESH_MS = 30_000;

export const alertsSearchParams = {
  rule: parseAsStringLiteral(ALERT_RULE_VALUES),
  storeId: parseAsString,
  state: parseAsStringLiteral(ALERT_STATES).withDefault("firing"),
  cursor: parseAsCursor,
};
export type AlertsSearch = inferParserType<typeof alertsSearchParams>;
export const loadAlertsSearch = createLoader(alertsSearchParams);

/** Exactly the list input the table sends, so the server prefetch lands on the client's query key. */
export function alertsListInput(
  search: Omit<AlertsSearch, "cursor">,
  cursor: string | null,
): TListAlertsInput {
  return {
    state: search.state,
    ...(search.rule ? { rule: search.rule } : {}),
    ...(search.storeId ? { storeId: search.storeId } : {}),
    ...(cursor ? { cursor } : {}),
    limit: ALERTS_PAGE_SIZE,
  };
}
