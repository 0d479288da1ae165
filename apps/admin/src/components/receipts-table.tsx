"use client";

import type { TListReceiptsInput, TReceiptSummary } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { receiptsListInput } from "~/app/(dashboard)/receipts/search-params.ts";
import type { Formatter } from "~/lib/format.ts";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { DataTable, dataTableColumns, useUrlCursor } from "./data-table.tsx";
import { ReceiptStatusBadge } from "./status-badge.tsx";
import { Mono, Muted, Strong } from "./ui.tsx";

type Filter = Omit<TListReceiptsInput, "cursor" | "limit">;

function receiptColumns(
  t: ReturnType<typeof useTranslations<"receipts">>,
  common: ReturnType<typeof useTranslations<"common">>,
  format: Formatter,
  showTerminal: boolean,
) {
  const column = dataTableColumns<TReceiptSummary>();
  return [
    column.accessor("acceptedAt", {
      id: "accepted",
      header: t("columns.accepted"),
      cell: ({ row }) => format.dateTime(row.original.acceptedAt, row.original.timezone),
    }),
    ...(showTerminal
      ? [
          column.accessor("terminalName", {
            id: "terminal",
            header: t("columns.terminal"),
            cell: ({ row }) => (
              <>
                <Link href={`/terminals/${row.original.terminalId}`}>{row.original.terminalName}</Link>
                <Muted block>{row.original.storeName}</Muted>
              </>
            ),
          }),
        ]
      : []),
    column.accessor("kind", {
      header: t("columns.kind"),
      cell: ({ getValue }) => common("kind", { kind: getValue<string>() }),
    }),
    column.accessor("cashierName", { id: "cashier", header: t("columns.cashier") }),
    column.accessor("total", {
      header: t("columns.total"),
      meta: { numeric: true },
      cell: ({ row }) => (
        <span data-testid="receipt-total">
          <Strong>{format.money(row.original.total)}</Strong>
        </span>
      ),
    }),
    column.accessor("status", {
      header: t("columns.status"),
      cell: ({ row }) => <ReceiptStatusBadge status={row.original.status} />,
    }),
    column.accessor("fdNumber", {
      header: t("columns.fdNumber"),
      meta: { numeric: true },
      cell: ({ row }) => (
        <span data-testid="receipt-fd">
          <Mono>{row.original.fdNumber ?? common("dash")}</Mono>
        </span>
      ),
    }),
    column.display({
      id: "receipt",
      header: t("columns.receipt"),
      cell: ({ row }) => (
        <Link href={`/receipts/${row.original.terminalId}/${row.original.id}`}>
          <Mono>{row.original.id}</Mono>
        </Link>
      ),
    }),
  ];
}

/**
 * Receipts, newest first (the only order the server keeps an index for), a page at a time; the page
 * is the URL's `cursor`. Used by the Receipts search and the terminal page.
 */
export function ReceiptsTable({
  filter,
  caption,
  showTerminal = true,
  refetchInterval,
}: {
  filter: Filter;
  caption: string;
  showTerminal?: boolean;
  /** Poll for new and newly fiscalized receipts, ms (the terminal page is a live view). */
  refetchInterval?: number;
}) {
  const trpc = useTRPC();
  const t = useTranslations("receipts");
  const common = useTranslations("common");
  const format = useFormat();
  const { cursor, paginate } = useUrlCursor();
  const { data } = useSuspenseQuery(
    trpc.dashboard.receipts.list.queryOptions(
      receiptsListInput(filter, cursor),
      refetchInterval ? { refetchInterval } : {},
    ),
  );
  const columns = useMemo(
    () => receiptColumns(t, common, format, showTerminal),
    [t, common, format, showTerminal],
  );
  return (
    <DataTable
      caption={caption}
      columns={columns}
      data={data.receipts}
      getRowId={(r) => `${r.terminalId}/${r.id}`}
      empty={t("empty")}
      pagination={paginate(data.nextCursor)}
      testId="receipts-table"
    />
  );
}
