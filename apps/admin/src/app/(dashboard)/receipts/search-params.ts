import type { TListReceiptsInput } from "@kassa/api/central/dashboard";
import {
  createLoader,
  type inferParserType,
  parseAsInteger,
  parseAsIsoDateTime,
  parseAsString,
  parseAsStringLiteral,
} from "nuqs/server";
import { parseAsCursor } from "~/lib/table-search-params.ts";

// The receipts search in the URL, read by the page on the server (to prefetch) and by the filter form
// and the table in the browser: one definition, so both ask for the same query key.

export const RECEIPT_STATUSES = ["fiscalized", "accepted", "needs_attention", "voided"] as const;
export const RECEIPTS_PAGE_SIZE = 25;

export const receiptSearchParams = {
  storeId: parseAsString,
  terminalId: parseAsString,
  status: parseAsStringLiteral(RECEIPT_STATUSES),
  /** Instants (ISO, with zone), so the server and the browser read the same window. */
  from: parseAsIsoDateTime,
  to: parseAsIsoDateTime,
  fdNumber: parseAsInteger,
  /** One shift of `terminalId` (the cash page links here with both). */
  shiftId: parseAsString,
  cursor: parseAsCursor,
};
export type ReceiptSearch = inferParserType<typeof receiptSearchParams>;

export const loadReceiptSearch = createLoader(receiptSearchParams);

/** The list query's input for a search (the filter without the page: `cursor` is the table's). */
export function receiptsFilter(
  search: Omit<ReceiptSearch, "cursor">,
): Omit<TListReceiptsInput, "cursor" | "limit"> {
  const filter: Omit<TListReceiptsInput, "cursor" | "limit"> = {};
  if (search.storeId) filter.storeId = search.storeId;
  if (search.terminalId) filter.terminalId = search.terminalId;
  if (search.status) filter.status = search.status;
  // A shift is its till's: without the till the server would refuse the filter, so it is dropped.
  if (search.shiftId && search.terminalId) filter.shiftId = search.shiftId;
  if (search.from) filter.from = search.from;
  if (search.to) filter.to = search.to;
  // FD numbers are positive and at most 9 digits (tag 1040); anything else finds nothing, so is no filter.
  if (search.fdNumber !== null && search.fdNumber > 0 && search.fdNumber < 1e9)
    filter.fdNumber = search.fdNumber;
  return filter;
}

/** Exactly the input ReceiptsTable sends, so a server prefetch lands on the client's query key. */
export function receiptsListInput(
  filter: Omit<TListReceiptsInput, "cursor" | "limit">,
  cursor: string | null,
): TListReceiptsInput {
  return { ...filter, ...(cursor ? { cursor } : {}), limit: RECEIPTS_PAGE_SIZE };
}
