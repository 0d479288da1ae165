"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { CircleAlert, Search, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { type FormEvent, useState } from "react";
import { useUrlCursor } from "~/components/data-table.tsx";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { StoreFilter, TerminalFilter } from "~/components/scope-filters.tsx";
import { buttonClass } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./receipt-search.module.css";
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

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim() || null;
    const from = fromLocalInput(text("from") ?? "");
    const to = fromLocalInput(text("to") ?? "");
    // The server refuses an empty window; say so here instead of failing the page.
    if (from && to && from >= to) {
      setRangeError(true);
      return;
    }
    setRangeError(false);
    const fd = text("fdNumber");
    const statusValue = RECEIPT_STATUSES.find((s) => s === text("status")) ?? null;
    void setSearch({
      storeId: text("storeId"),
      terminalId: text("terminalId"),
      status: statusValue,
      from,
      to,
      fdNumber: fd && /^\d{1,9}$/.test(fd) ? Number(fd) : null,
      // The shift stays while its till does (it is not a form field: the cash page sets it).
      shiftId: text("terminalId") === search.terminalId ? search.shiftId : null,
      // A new search starts at its first page.
      cursor: null,
    });
  }

  return (
    // Keyed by the search so "Clear" and back/forward reset the inputs to the URL's values.
    <form
      key={JSON.stringify(search)}
      className={styles.filters}
      aria-label={t("label")}
      onSubmit={onSubmit}
      onReset={(event) => {
        event.preventDefault();
        setRangeError(false);
        void setSearch(null);
      }}
    >
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <TerminalFilter
        label={t("terminal")}
        allLabel={t("allTerminals")}
        terminals={fleet.terminals}
        value={search.terminalId}
      />
      <label>
        {t("status")}
        <select name="status" defaultValue={search.status ?? ""}>
          <option value="">{t("anyStatus")}</option>
          {RECEIPT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {status(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("from")}
        <input name="from" type="datetime-local" defaultValue={toLocalInput(search.from)} />
      </label>
      <label>
        {t("to")}
        <input
          name="to"
          type="datetime-local"
          defaultValue={toLocalInput(search.to)}
          aria-invalid={rangeError || undefined}
          aria-describedby={rangeError ? "receipts-range-error" : undefined}
        />
      </label>
      <label>
        {t("fdNumber")}
        <input
          name="fdNumber"
          inputMode="numeric"
          pattern="\d*"
          placeholder={t("fdPlaceholder")}
          defaultValue={search.fdNumber ?? ""}
        />
      </label>
      <div className={styles.actions}>
        <button type="submit" className={buttonClass.primary}>
          <Search size={16} aria-hidden /> {t("search")}
        </button>
        <button type="reset" className={buttonClass.ghost}>
          <X size={16} aria-hidden /> {t("clear")}
        </button>
      </div>
      {rangeError && (
        <p id="receipts-range-error" className={styles.error} role="alert">
          {t("rangeInvalid")}
        </p>
      )}
      <div className={styles.actions}>
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
      </div>
      {search.shiftId && search.terminalId && <ShiftNote />}
    </form>
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
    <p className={styles.note} data-testid="receipts-shift">
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
    </p>
  );
}

/** The search's results: every receipt matching the URL's filter, a page at a time. */
export function ReceiptSearchResults() {
  const [search] = useQueryStates(receiptSearchParams);
  const t = useTranslations("receipts");
  const { cursor: _cursor, ...filter } = search;
  return <ReceiptsTable filter={receiptsFilter(filter)} caption={t("caption")} />;
}
