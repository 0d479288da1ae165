"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { ErrorNote } from "~/components/query-state.tsx";
import { ReceiptsTable } from "~/components/receipts-table.tsx";
import { BreakerBadges, FnBacklog, OnlineBadge } from "~/components/status-badge.tsx";
import { formatAge, formatInZone, formatSkew } from "~/lib/format.ts";
import { useTRPC } from "~/trpc/react.tsx";

export function TerminalView({ terminalId }: { terminalId: string }) {
  const trpc = useTRPC();
  const terminal = useQuery(
    trpc.dashboard.terminals.get.queryOptions({ terminalId }, { refetchInterval: 5_000 }),
  );
  const t = terminal.data;
  return (
    <>
      <Link href="/" className="back">
        <ArrowLeft size={14} aria-hidden /> Fleet
      </Link>
      <header className="page-header">
        <h1>
          {t?.name ?? "Terminal"} {t && <OnlineBadge online={t.online} retired={t.status === "retired"} />}
        </h1>
        <p className="muted mono small">{terminalId}</p>
      </header>
      {terminal.error && <ErrorNote error={terminal.error} />}
      {t && (
        <dl className="facts card">
          <div>
            <dt>Store</dt>
            <dd>{t.store.name}</dd>
          </div>
          <div>
            <dt>Last sync</dt>
            <dd>
              {formatAge(t.lastSyncAt, new Date())}
              <div className="muted small">{formatInZone(t.lastSyncAt, t.store.timezone)}</div>
            </dd>
          </div>
          <div>
            <dt>Receipts delivered</dt>
            <dd>{t.receiptsCount}</dd>
          </div>
          <div>
            <dt>Last receipt</dt>
            <dd>{formatInZone(t.lastReceiptAt, t.store.timezone)}</dd>
          </div>
          <div>
            <dt>DLQ (pending)</dt>
            <dd>{t.dlqPending}</dd>
          </div>
          <div>
            <dt>Breakers</dt>
            <dd>
              <BreakerBadges breakers={t.breakers} />
            </dd>
          </div>
          <div>
            <dt>FN backlog</dt>
            <dd>
              <FnBacklog fn={t.fn} />
            </dd>
          </div>
          <div>
            <dt>Clock skew</dt>
            <dd>{formatSkew(t.clockSkewMs)}</dd>
          </div>
          <div>
            <dt>Timezone</dt>
            <dd>{t.store.timezone}</dd>
          </div>
        </dl>
      )}
      <h2>Receipts</h2>
      <ReceiptsTable filter={{ terminalId }} showTerminal={false} refetchInterval={5_000} />
    </>
  );
}
