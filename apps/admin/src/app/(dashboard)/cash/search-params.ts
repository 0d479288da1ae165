import type { TListCashShiftsInput } from "@kassa/api/central/dashboard";
import { createLoader, type inferParserType, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { parseAsPageIndex, parseAsSort } from "~/lib/table-search-params.ts";

// The cash page's state in the URL, read by the server (prefetch) and the browser alike.

export const CASH_STATES = [
  "needs_approval",
  "provisional",
  "approved",
  "within_tolerance",
  "not_counted",
  "open",
] as const;
export const CASH_SORT_COLUMNS = ["openedAt", "variance"] as const;
export const CASH_PAGE_SIZE = 25;

export const cashSearchParams = {
  storeId: parseAsString,
  terminalId: parseAsString,
  /** Store-local days, YYYY-MM-DD; absent = today. */
  dayFrom: parseAsString,
  dayTo: parseAsString,
  state: parseAsStringLiteral(CASH_STATES),
  sort: parseAsSort(CASH_SORT_COLUMNS),
  page: parseAsPageIndex.withDefault(0),
};
export type CashSearch = inferParserType<typeof cashSearchParams>;
export const loadCashSearch = createLoader(cashSearchParams);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter part (shared by the shifts list, the days table and the CSV link). */
export function cashFilter(search: CashSearch) {
  const filter: { storeId?: string; terminalId?: string; dayFrom?: string; dayTo?: string } = {};
  if (search.storeId) filter.storeId = search.storeId;
  if (search.terminalId) filter.terminalId = search.terminalId;
  if (search.dayFrom && DAY.test(search.dayFrom)) filter.dayFrom = search.dayFrom;
  if (search.dayTo && DAY.test(search.dayTo)) filter.dayTo = search.dayTo;
  return filter;
}

/** Exactly what the shifts table asks for, so the server's prefetch lands on the client's query key. */
export function cashShiftsInput(search: CashSearch): TListCashShiftsInput {
  return {
    ...cashFilter(search),
    ...(search.state ? { state: search.state } : {}),
    sort: search.sort?.id ?? "openedAt",
    order: search.sort && !search.sort.desc ? "asc" : "desc",
    page: search.page,
    pageSize: CASH_PAGE_SIZE,
  };
}

/** The CSV download's URL (the route handler runs the same procedure). */
export function cashCsvHref(search: CashSearch): string {
  const params = new URLSearchParams({
    ...cashFilter(search),
    ...(search.state ? { state: search.state } : {}),
  });
  return `/api/cash/export?${params.toString()}`;
}
