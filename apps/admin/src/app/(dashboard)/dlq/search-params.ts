import type { TListDlqItemsInput } from "@kassa/api/central/dashboard";
import { createLoader, type inferParserType, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { parseAsCursor } from "~/lib/table-search-params.ts";

// The DLQ triage view in the URL (tab, filters, page), read by the page on the server to prefetch
// and by the filters and tables in the browser: one definition, so both ask for the same query key.

export const DLQ_VIEWS = ["items", "groups", "audit"] as const;
export const DLQ_STATES = ["pending", "retried", "discarded", "all"] as const;
/** Age presets: how long ago the items were dead-lettered. */
export const DLQ_AGES = ["lt1h", "lt24h", "gt24h", "gt7d"] as const;
export const DLQ_PAGE_SIZE = 50;

export const dlqSearchParams = {
  view: parseAsStringLiteral(DLQ_VIEWS).withDefault("items"),
  storeId: parseAsString,
  terminalId: parseAsString,
  kind: parseAsString,
  errorCode: parseAsString,
  fingerprint: parseAsString,
  state: parseAsStringLiteral(DLQ_STATES).withDefault("pending"),
  age: parseAsStringLiteral(DLQ_AGES),
  cursor: parseAsCursor,
};
export type DlqSearch = inferParserType<typeof dlqSearchParams>;
export const loadDlqSearch = createLoader(dlqSearchParams);

const AGE_HOURS: Record<(typeof DLQ_AGES)[number], { minAgeHours?: number; maxAgeHours?: number }> = {
  lt1h: { maxAgeHours: 1 },
  lt24h: { maxAgeHours: 24 },
  gt24h: { minAgeHours: 24 },
  gt7d: { minAgeHours: 24 * 7 },
};

export type DlqFilter = Omit<TListDlqItemsInput, "cursor" | "limit">;

/** The filters of a search (shared by the list, the groups and a bulk action's selection). */
export function dlqFilter(search: Omit<DlqSearch, "view" | "cursor">): DlqFilter {
  const filter: DlqFilter = { state: search.state };
  if (search.storeId) filter.storeId = search.storeId;
  if (search.terminalId) filter.terminalId = search.terminalId;
  if (search.kind) filter.kind = search.kind;
  if (search.errorCode) filter.errorCode = search.errorCode;
  if (search.fingerprint) filter.fingerprint = search.fingerprint;
  if (search.age) Object.assign(filter, AGE_HOURS[search.age]);
  return filter;
}

/** Exactly the list input DlqItems sends, so the server prefetch lands on the client's query key. */
export function dlqListInput(filter: DlqFilter, cursor: string | null): TListDlqItemsInput {
  return { ...filter, ...(cursor ? { cursor } : {}), limit: DLQ_PAGE_SIZE };
}
