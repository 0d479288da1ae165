"use client";

import type { TListReceiptsInput } from "@kassa/api/central/dashboard";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatInZone, formatKopecks } from "~/lib/format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { ErrorNote, LoadingRow } from "./query-state.tsx";
import { ReceiptStatusBadge } from "./status-badge.tsx";

type Filter = Omit<TListReceiptsInput, "cursor" | "limit">;

export function ReceiptsTable({
  filter,
  showTerminal = true,
  refetchInterval,
}: {
  filter: Filter;
  showTerminal?: boolean;
  /** Poll for new and newly fiscalized receipts, ms (the terminal page is a live view). */
  refetchInterval?: number;
}) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.dashboard.receipts.list.infiniteQueryOptions(
      { ...filter, limit: 25 },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        ...(refetchInterval ? { refetchInterval } : {}),
      },
    ),
  );
  const receipts = query.data?.pages.flatMap((page) => page.receipts) ?? [];
  const columns = showTerminal ? 8 : 7;
  return (
    <>
      {query.error && <ErrorNote error={query.error} />}
      <div className="card">
        <table className="table" data-testid="receipts-table">
          <thead>
            <tr>
              <th>Accepted</th>
              {showTerminal && <th>Terminal</th>}
              <th>Kind</th>
              <th>Cashier</th>
              <th className="num">Total</th>
              <th>Status</th>
              <th className="num">FD №</th>
              <th>Receipt</th>
            </tr>
          </thead>
          <tbody>
            {query.isPending && <LoadingRow columns={columns} />}
            {query.isSuccess && receipts.length === 0 && (
              <LoadingRow
                columns={columns}
                text="No receipts match: widen the filters or wait for the next sync."
              />
            )}
            {receipts.map((r) => (
              <tr key={`${r.terminalId}/${r.id}`}>
                <td>{formatInZone(r.acceptedAt, r.timezone)}</td>
                {showTerminal && (
                  <td>
                    <Link href={`/terminals/${r.terminalId}`}>{r.terminalName}</Link>
                    <div className="muted small">{r.storeName}</div>
                  </td>
                )}
                <td className="capitalize">{r.kind}</td>
                <td>{r.cashierName}</td>
                <td className="num strong" data-testid="receipt-total">
                  {formatKopecks(r.total)}
                </td>
                <td>
                  <ReceiptStatusBadge status={r.status} />
                </td>
                <td className="num mono" data-testid="receipt-fd">
                  {r.fdNumber ?? "—"}
                </td>
                <td>
                  <Link href={`/receipts/${r.terminalId}/${r.id}`} className="mono small">
                    {r.id}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.hasNextPage && (
        <div className="center">
          <button
            type="button"
            className="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </>
  );
}
