"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { CircleAlert, Search, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { useUrlCursor } from "~/components/data-table.tsx";
import { FilterActions, FilterBar, FilterInput, FilterNote, FilterSelect } from "~/components/filter-bar.tsx";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { StoreFilter, TerminalFilter } from "~/components/scope-filters.tsx";
import { buttonClass } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { RECEIPT_STATUSES, receiptSearchParams, receiptsFilter, receiptsListInput } from "./search-params.ts";

/** `<input type="datetime-local">` speaks the browser's local time; the URL keeps instants. */
function toLocalInput(date: Date | null): string {
  if (!date) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The search form. The search lives in the URL, so it can be bookmarked, shared and survives a reload. */
export function ReceiptFilters() {
  const trpc = useTRPC();
  const t = useTranslations("receipts.filters");
  const status = useTranslations("common.status");
  const [search, setSearch] = useQueryStates(receiptSearchParams);
  const [rangeError, setRangeError] = useState(false);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data: fleet } = useSuspenseQuery(trpc.dashboard.fleet.list.queryOptions());

  return (
    <FilterBar
      label={t("label")}
      state={search}
      applyLabel={t("search")}
      applyIcon={Search}
      clearLabel={t("clear")}
      onApply={(field) => {
        const from = fromLocalInput(field("from") ?? "");
        const to = fromLocalInput(field("to") ?? "");
        // The server refuses an empty window; say so here instead of failing the page.
        if (from && to && from >= to) {
          setRangeError(true);
          return;
        }
        setRangeError(false);
        const fd = field("fdNumber");
        void setSearch({
          storeId: field("storeId"),
          terminalId: field("terminalId"),
          status: RECEIPT_STATUSES.find((s) => s === field("status")) ?? null,
          from,
          to,
          fdNumber: fd && /^\d{1,9}$/.test(fd) ? Number(fd) : null,
          // The shift stays while its till does (it is not a form field: the cash page sets it).
          shiftId: field("terminalId") === search.terminalId ? search.shiftId : null,
          // A new search starts at its first page.
          cursor: null,
        });
      }}
      onClear={() => {
        setRangeError(false);
        void setSearch(null);
      }}
      footer={
        <>
          {rangeError && (
            <FilterNote id="receipts-range-error" alert>
              {t("rangeInvalid")}
            </FilterNote>
          )}
          <FilterActions>
            {/* The one question support asks most: which sales did the register refuse? */}
            <button
              type="button"
              className={buttonClass.ghost}
              aria-pressed={search.status === "needs_attention"}
              data-testid="receipts-needs-attention"
              onClick={() =>
                void setSearch({
                  status: search.status === "needs_attention" ? null : "needs_attention",
                  cursor: null,
                })
              }
            >
              <CircleAlert size={16} aria-hidden /> {t("needsAttention")}
            </button>
          </FilterActions>
          {search.shiftId && search.terminalId && <ShiftNote />}
        </>
      }
    >
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <TerminalFilter
        label={t("terminal")}
        allLabel={t("allTerminals")}
        terminals={fleet.terminals}
        value={search.terminalId}
      />
      <FilterSelect
        label={t("status")}
        name="status"
        defaultValue={search.status ?? ""}
        anyLabel={t("anyStatus")}
        options={RECEIPT_STATUSES.map((s) => ({ value: s, label: status(s) }))}
      />
      <FilterInput
        label={t("from")}
        name="from"
        type="datetime-local"
        defaultValue={toLocalInput(search.from)}
      />
      <FilterInput
        label={t("to")}
        name="to"
        type="datetime-local"
        defaultValue={toLocalInput(search.to)}
        aria-invalid={rangeError || undefined}
        aria-describedby={rangeError ? "receipts-range-error" : undefined}
      />
      <FilterInput
        label={t("fdNumber")}
        name="fdNumber"
        inputMode="numeric"
        pattern="\d*"
        placeholder={t("fdPlaceholder")}
        defaultValue={search.fdNumber ?? ""}
      />
    </FilterBar>
  );
}

/** Which shift the list is narrowed to (its number and hours, from the list's own answer). */
function ShiftNote() {
  const trpc = useTRPC();
  const t = useTranslations("receipts.filters");
  const format = useFormat();
  const [search, setSearch] = useQueryStates(receiptSearchParams);
  const { cursor } = useUrlCursor();
  const { cursor: _cursor, ...rest } = search;
  const { data } = useSuspenseQuery(
    trpc.dashboard.receipts.list.queryOptions(receiptsListInput(receiptsFilter(rest), cursor)),
  );
  const timezone = data.receipts[0]?.timezone ?? "Europe/Moscow";
  return (
    <FilterNote testId="receipts-shift">
      {!data.shift
        ? t("shiftUnknown")
        : data.shift.closedAt
          ? t("shift", {
              number: data.shift.number,
              opened: format.dateTime(data.shift.openedAt, timezone),
              closed: format.dateTime(data.shift.closedAt, timezone),
            })
          : t("shiftOpen", {
              number: data.shift.number,
              opened: format.dateTime(data.shift.openedAt, timezone),
            })}{" "}
      <button
        type="button"
        className={buttonClass.ghost}
        onClick={() => void setSearch({ shiftId: null, cursor: null })}
      >
        <X size={16} aria-hidden /> {t("clearShift")}
      </button>
    </FilterNote>
  );
}

/** The search's results: every receipt matching the URL's filter, a page at a time. */
export function ReceiptSearchResults() {
  const [search] = useQueryStates(receiptSearchParams);
  const t = useTranslations("receipts");
  const { cursor: _cursor, ...filter } = search;
  return <ReceiptsTable filter={receiptsFilter(filter)} caption={t("caption")} />;
}
