import type { TListTillsInput } from "@kassa/api/central/dashboard";
import { createLoader, type inferParserType, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { parseAsSort } from "~/lib/table-search-params.ts";

// The tills page's state in the URL, read by the server (prefetch) and the browser alike.

export const TILL_STATUSES = ["active", "retired", "all"] as const;
export const TILL_SORT_COLUMNS = ["name", "lastSyncAt", "createdAt"] as const;

export const tillsSearchParams = {
  storeId: parseAsString,
  status: parseAsStringLiteral(TILL_STATUSES).withDefault("active"),
  sort: parseAsSort(TILL_SORT_COLUMNS),
};
export type TillsSearch = inferParserType<typeof tillsSearchParams>;
export const loadTillsSearch = createLoader(tillsSearchParams);

/** Exactly what the table asks for, so the server's prefetch lands on the client's query key. */
export function tillsListInput(search: TillsSearch): TListTillsInput {
  return {
    ...(search.storeId ? { storeId: search.storeId } : {}),
    status: search.status,
    sort: search.sort?.id ?? "name",
    order: search.sort?.desc ? "desc" : "asc",
  };
}
