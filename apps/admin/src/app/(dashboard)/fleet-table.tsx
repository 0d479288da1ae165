"use client";

import { useQuery } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorNote, LoadingRow } from "~/components/query-state.tsx";
import { BreakerBadges, FnBacklog, OnlineBadge } from "~/components/status-badge.tsx";
import { formatAge, formatInZone, formatSkew } from "~/lib/format.ts";
import { useTRPC } from "~/trpc/react.tsx";

/** Fleet refresh period: the page is a live board, 5 s keeps it current without load. */
const REFRESH_MS = 5_000;

export function FleetTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const fleet = useQuery(trpc.dashboard.fleet.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const terminals = fleet.data?.terminals ?? [];
  const asOf = fleet.data?.asOf ?? new Date();
  const online = terminals.filter((t) => t.online).length;
  return (
    <>
      <div className="stats">
        <div className="stat">
          <div className="stat-value">{terminals.length}</div>
          <div className="stat-label">Terminals</div>
        </div>
        <div className="stat">
          <div className="stat-value">{online}</div>
          <div className="stat-label">Online</div>
        </div>
        <div className="stat">
          <div className="stat-value">{terminals.reduce((sum, t) => sum + t.receiptsCount, 0)}</div>
          <div className="stat-label">Receipts delivered</div>
        </div>
        <div className="stat refresh muted small">
          <RefreshCw size={14} aria-hidden className={fleet.isFetching ? "spin" : ""} /> live, every{" "}
          {REFRESH_MS / 1000} s
        </div>
      </div>
      {fleet.error && <ErrorNote error={fleet.error} />}
      <div className="card">
        <table className="table" data-testid="fleet-table">
          <thead>
            <tr>
              <th>Terminal</th>
              <th>Store</th>
              <th>Status</th>
              <th>Last sync</th>
              <th className="num">Receipts</th>
              <th className="num">DLQ</th>
              <th>Breakers</th>
              <th>FN backlog</th>
              <th className="num">Clock skew</th>
            </tr>
          </thead>
          <tbody>
            {fleet.isPending && <LoadingRow columns={9} />}
            {fleet.isSuccess && terminals.length === 0 && (
              <LoadingRow columns={9} text="No terminals yet: provision one to see it here." />
            )}
            {terminals.map((t) => (
              <tr key={t.id} className="clickable" onClick={() => router.push(`/terminals/${t.id}`)}>
                <td>
                  <Link href={`/terminals/${t.id}`} className="strong" onClick={(e) => e.stopPropagation()}>
                    {t.name}
                  </Link>
                  <div className="muted small mono">{t.id}</div>
                </td>
                <td>{t.store.name}</td>
                <td>
                  <OnlineBadge
                    online={t.online}
                    retired={t.status === "retired"}
                    needsAttention={t.receiptsNeedingAttention}
                  />
                </td>
                <td title={formatInZone(t.lastSyncAt, t.store.timezone)}>{formatAge(t.lastSyncAt, asOf)}</td>
                <td className="num" title={`last receipt ${formatInZone(t.lastReceiptAt, t.store.timezone)}`}>
                  {t.receiptsCount}
                </td>
                <td className="num">
                  {t.dlqPending > 0 ? <span className="badge danger">{t.dlqPending}</span> : "0"}
                </td>
                <td>
                  <BreakerBadges breakers={t.breakers} />
                </td>
                <td>
                  <FnBacklog fn={t.fn} />
                </td>
                <td className="num">{formatSkew(t.clockSkewMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
