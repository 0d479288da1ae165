"use client";

import {
  type ColumnDef,
  createColumnHelper,
  createSortedRowModel,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import { useTranslations } from "next-intl";
import { parseAsInteger, useQueryState } from "nuqs";
import { type ReactNode, useCallback, useMemo, useRef } from "react";
import { parseAsCursor, parseAsSort, type TableSort } from "~/lib/table-search-params.ts";
import styles from "./data-table.module.css";

/** What a column may say about its cells, beyond TanStack's column definition. */
export interface DataTableColumnMeta {
  /** Right-aligned, tabular digits (amounts, counts, FD numbers). */
  numeric?: boolean;
  /** Extra class for the column's th and td. */
  className?: string;
}

/** The table features every DataTable has (sorting; its client sorted model is used only in client mode). */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    basic: sortFn_basic,
    datetime: sortFn_datetime,
    text: sortFn_text,
  },
  columnMeta: {} as DataTableColumnMeta,
});
export type DataTableFeatures = typeof dataTableFeatures;
// biome-ignore lint/suspicious/noExplicitAny: a list's columns have values of different types
export type DataTableColumn<TData extends RowData> = ColumnDef<DataTableFeatures, TData, any>;

/** A typed column helper: `const column = dataTableColumns<Row>(); column.accessor("name", {…})`. */
export function dataTableColumns<TData extends RowData>() {
  return createColumnHelper<DataTableFeatures, TData>();
}

/** Cursor pagination (the server hands out an opaque "next" cursor): Previous / Next / First page. */
export interface CursorPagination {
  kind: "cursor";
  /** 1-based number of the page shown, when known (unknown after opening a pasted link mid-list). */
  page?: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** Shown when the page is not the first; omit when Previous already reaches it. */
  onFirst?: () => void;
}

/**
 * Page pagination: page n of m. The server counts and sends one page, or — `pageSize` set — the
 * table holds every row (a list the server returns whole, sorted by the table: Fleet) and shows
 * this page of them after sorting.
 */
export interface PagePagination {
  kind: "page";
  /** 0-based. */
  pageIndex: number;
  pageCount: number;
  onPageChange: (pageIndex: number) => void;
  pageSize?: number;
}

export interface DataTableSorting {
  /** The current sort (from the URL: useUrlSort); null = the order the server gave, no column marked. */
  sort: TableSort | null;
  onSortChange: (sort: TableSort) => void;
  /**
   * "server": `data` arrives sorted by the server, the table only shows and changes the sort state;
   * "client": the table sorts `data` itself — only for lists the server returns whole (Fleet).
   */
  mode: "server" | "client";
}

/**
 * The dashboard's one table: every list renders through it.
 *
 * Column-driven (`@tanstack/react-table` v9 column definitions built with `dataTableColumns<Row>()`,
 * `meta: { numeric }` for amounts and counts). Sorting, pagination and filters are owned by the page
 * and live in the URL (`useUrlSort`, `useUrlCursor`, nuqs), so a link reproduces exactly what its
 * sender saw; the server sorts and paginates, DataTable only renders the state and asks for changes.
 *
 * Accessibility: a `<caption>` names the table (visually hidden unless `captionVisible`); a sortable
 * header is a `<button>` inside `<th aria-sort>` (Tab + Enter/Space sorts); pagination is a labelled
 * `<nav>`; `aria-busy` while `loading`.
 *
 * @param props.caption        accessible name of the table (required; say what the rows are)
 * @param props.captionVisible show the caption above the table instead of only to screen readers
 * @param props.columns        column definitions (`id` or accessor key = the sort id sent to the server)
 * @param props.data           the rows of the current page
 * @param props.getRowId       a stable row key (the domain id, e.g. `${terminalId}/${receiptId}`)
 * @param props.empty          what to say when there are no rows (every list has an empty state)
 * @param props.sorting        current sort and its setter, and who sorts (see DataTableSorting); omit = not sortable
 * @param props.pagination     cursor or page pagination (see CursorPagination, PagePagination); omit = one page
 * @param props.loading        the rows are being replaced (a refetch after a filter change): dims them, aria-busy
 * @param props.rowHref        makes a whole row clickable with the mouse (the row's own link stays the keyboard path)
 * @param props.onRowNavigate  called with rowHref's result on a row click (router.push)
 * @param props.testId         data-testid of the `<table>` (e2e)
 */
export function DataTable<TData extends RowData>(props: {
  caption: string;
  captionVisible?: boolean;
  columns: DataTableColumn<TData>[];
  data: TData[];
  getRowId: (row: TData) => string;
  empty: ReactNode;
  sorting?: DataTableSorting;
  pagination?: CursorPagination | PagePagination;
  loading?: boolean;
  rowHref?: (row: TData) => string;
  onRowNavigate?: (href: string) => void;
  testId?: string;
}) {
  const { sorting, rowHref, onRowNavigate } = props;
  const t = useTranslations("common.table");
  const sortingState = useMemo<SortingState>(
    () => (sorting?.sort ? [{ id: sorting.sort.id, desc: sorting.sort.desc }] : []),
    [sorting],
  );
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      if (!sorting) return;
      const next = typeof updater === "function" ? updater(sortingState) : updater;
      const first = next[0];
      if (first) sorting.onSortChange({ id: first.id, desc: first.desc });
    },
    [sorting, sortingState],
  );
  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.data,
    getRowId: (row: TData) => props.getRowId(row),
    state: { sorting: sortingState },
    onSortingChange,
    enableSorting: Boolean(sorting),
    manualSorting: sorting?.mode !== "client",
    // A list is always in some order: clicking a sorted column flips it, never "unsorts".
    enableSortingRemoval: false,
    enableMultiSort: false,
  });
  const columnCount = props.columns.length;
  const sortedRows = table.getRowModel().rows;
  const page = props.pagination?.kind === "page" ? props.pagination : null;
  const rows = page?.pageSize
    ? sortedRows.slice(page.pageIndex * page.pageSize, (page.pageIndex + 1) * page.pageSize)
    : sortedRows;
  return (
    <div className={styles.wrapper}>
      <table
        className={props.loading ? `${styles.table} ${styles.loading}` : styles.table}
        data-testid={props.testId}
        aria-busy={props.loading || undefined}
      >
        <caption className={props.captionVisible ? styles.caption : styles.srOnly}>{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                const className = cellClass(meta);
                const label = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={className}
                    aria-sort={
                      !canSort
                        ? undefined
                        : sorted === "asc"
                          ? "ascending"
                          : sorted === "desc"
                            ? "descending"
                            : "none"
                    }
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className={styles.sortButton}
                        onClick={header.column.getToggleSortingHandler()}
                        data-sorted={sorted || undefined}
                      >
                        {label}
                        {sorted === "asc" ? (
                          <ArrowUp size={13} aria-hidden />
                        ) : sorted === "desc" ? (
                          <ArrowDown size={13} aria-hidden />
                        ) : (
                          <ArrowUpDown size={13} aria-hidden className={styles.sortIdle} />
                        )}
                        {sorted && (
                          <span className={styles.srOnly}>
                            , {sorted === "asc" ? t("sortAscending") : t("sortDescending")}
                          </span>
                        )}
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className={styles.empty}>
                {props.empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const href = rowHref?.(row.original);
              return (
                <tr
                  key={row.id}
                  className={href ? styles.clickable : undefined}
                  onClick={
                    href && onRowNavigate
                      ? (event) => {
                          // A click on the row's own link or button is theirs, not the row's.
                          if ((event.target as HTMLElement).closest("a,button,input,select")) return;
                          onRowNavigate(href);
                        }
                      : undefined
                  }
                >
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} className={cellClass(cell.column.columnDef.meta)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
      {props.pagination && <Pager pagination={props.pagination} />}
    </div>
  );
}

function cellClass(meta: DataTableColumnMeta | undefined): string | undefined {
  const classes = [meta?.numeric ? styles.numeric : "", meta?.className ?? ""].filter(Boolean);
  return classes.length > 0 ? classes.join(" ") : undefined;
}

/** Previous / Next (and page n of m) for a paginated list; DataTable draws it under its rows. */
export function Pager({ pagination }: { pagination: CursorPagination | PagePagination }) {
  const t = useTranslations("common.table");
  const cursor = pagination.kind === "cursor" ? pagination : null;
  const page = pagination.kind === "page" ? pagination : null;
  const hasPrevious = cursor ? cursor.hasPrevious : (page?.pageIndex ?? 0) > 0;
  const hasNext = cursor ? cursor.hasNext : (page?.pageIndex ?? 0) + 1 < (page?.pageCount ?? 0);
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className={styles.pager} aria-label={t("pagination")}>
      <span className={styles.pageLabel}>
        {page
          ? t("pageOf", { page: page.pageIndex + 1, pages: page.pageCount })
          : cursor?.page
            ? t("page", { page: cursor.page })
            : null}
      </span>
      {cursor?.onFirst && hasPrevious && (
        <button type="button" className={styles.pageButton} onClick={cursor.onFirst}>
          <ChevronsLeft size={15} aria-hidden /> {t("first")}
        </button>
      )}
      <button
        type="button"
        className={styles.pageButton}
        disabled={!hasPrevious}
        onClick={() => (cursor ? cursor.onPrevious() : page?.onPageChange(page.pageIndex - 1))}
      >
        <ChevronLeft size={15} aria-hidden /> {t("previous")}
      </button>
      <button
        type="button"
        className={styles.pageButton}
        disabled={!hasNext}
        onClick={() => (cursor ? cursor.onNext() : page?.onPageChange(page.pageIndex + 1))}
      >
        {t("next")} <ChevronRight size={15} aria-hidden />
      </button>
    </nav>
  );
}

/**
 * The loading state of a list (loading.tsx, Suspense fallbacks): the table's frame with shimmering
 * rows, so the page does not jump when the data arrives.
 */
export function DataTableSkeleton({
  caption,
  columns,
  rows = 6,
}: {
  caption: string;
  /** Header labels, or how many columns. */
  columns: readonly string[] | number;
  rows?: number;
}) {
  const headers = typeof columns === "number" ? Array.from({ length: columns }, () => "") : columns;
  return (
    <div className={styles.wrapper}>
      <table className={styles.table} aria-busy="true">
        <caption className={styles.srOnly}>{caption}</caption>
        <thead>
          <tr>
            {headers.map((label, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholder columns have no identity
              <th key={index} scope="col">
                {label || <span className={styles.bone} />}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
            <tr key={row}>
              {headers.map((_, cell) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
                <td key={cell}>
                  <span className={styles.bone} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The list's sort in the URL (`?sort=column.desc`, or `?<key>=…` when a page has two lists).
 * Returns the sort to send to the server (the default when the URL has none; null = the server's
 * own order) and its setter;
 * changing the sort drops the cursor, since a cursor belongs to one order.
 */
export function useUrlSort<const TColumn extends string, TDefault extends TableSort<TColumn> | null>(
  columns: readonly TColumn[],
  defaultSort: TDefault,
  options: { key?: string; cursorKey?: string } = {},
): { sort: TableSort<TColumn> | TDefault; onSortChange: (sort: TableSort) => void } {
  const parser = useMemo(() => parseAsSort(columns), [columns]);
  const [sort, setSort] = useQueryState(options.key ?? "sort", parser);
  const [, setCursor] = useQueryState(options.cursorKey ?? "cursor", parseAsCursor);
  const onSortChange = useCallback(
    (next: TableSort) => {
      const known = columns.find((column) => column === next.id);
      if (!known) return;
      void setSort({ id: known, desc: next.desc });
      void setCursor(null);
    },
    [columns, setSort, setCursor],
  );
  return { sort: sort ?? defaultSort, onSortChange };
}

/**
 * Pages of a list the page holds whole (`?page=N`, or `?<key>=N`: 1-based in the URL, as the pager
 * shows it): the `pagination` for `rowCount` rows, `pageSize` a page — for DataTable, or for Pager
 * under a chart that slices its own rows. `onSortChange` wraps a sort's so that a new sort goes back
 * to the first page. A page past the end (the list shrank) shows the last; one page shows no pager.
 */
export function useUrlClientPages(
  rowCount: number,
  pageSize: number,
  options: { key?: string; onSortChange?: (sort: TableSort) => void } = {},
): { pagination: PagePagination | undefined; onSortChange: (sort: TableSort) => void } {
  const [page, setPage] = useQueryState(options.key ?? "page", parseAsInteger.withDefault(1));
  const pageCount = Math.max(1, Math.ceil(rowCount / pageSize));
  const pageIndex = Math.min(Math.max(page, 1), pageCount) - 1;
  const sortChange = options.onSortChange;
  const onSortChange = useCallback(
    (sort: TableSort) => {
      sortChange?.(sort);
      void setPage(null);
    },
    [sortChange, setPage],
  );
  const pagination: PagePagination | undefined =
    pageCount > 1
      ? {
          kind: "page",
          pageIndex,
          pageCount,
          pageSize,
          onPageChange: (index) => void setPage(index === 0 ? null : index + 1),
        }
      : undefined;
  return { pagination, onSortChange };
}

/**
 * Cursor pagination in the URL (`?cursor=…`): `cursor` to query with, then `paginate(nextCursor)`
 * with the answer's next cursor for DataTable's `pagination`. The cursors of the pages before are
 * kept in memory for Previous (a cursor only points forward); after opening a pasted link mid-list,
 * Previous goes to the first page.
 */
export function useUrlCursor(options: { key?: string } = {}) {
  const [cursor, setCursor] = useQueryState(options.key ?? "cursor", parseAsCursor);
  const trail = useRef<Array<string | null>>([]);
  // Back on the first page (First, a filter change that drops the cursor): the walk starts over.
  if (cursor === null) trail.current = [];
  const paginate = (nextCursor: string | null): CursorPagination => {
    const pagination: CursorPagination = {
      kind: "cursor",
      hasPrevious: cursor !== null,
      hasNext: nextCursor !== null,
      onNext: () => {
        if (!nextCursor) return;
        trail.current.push(cursor);
        void setCursor(nextCursor);
      },
      onPrevious: () => {
        void setCursor(trail.current.length > 0 ? (trail.current.pop() ?? null) : null);
      },
    };
    if (trail.current.length > 1) {
      pagination.onFirst = () => {
        trail.current = [];
        void setCursor(null);
      };
    }
    // Page numbers are known while the user walks from the first page.
    if (cursor === null) pagination.page = 1;
    else if (trail.current.length > 0) pagination.page = trail.current.length + 1;
    return pagination;
  };
  return { cursor, paginate };
}
