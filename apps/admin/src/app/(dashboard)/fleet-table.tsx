"use client";

import type { TTerminalView } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, dataTableColumns, useUrlClientPages, useUrlSort } from "~/components/data-table.tsx";
import { BreakerBadges, FnBacklog, HealthBadge, HealthReasons } from "~/components/status-badge.tsx";
import { Badge, Muted, Stat, Stats, Strong } from "~/components/ui.tsx";
import type { Formatter } from "~/lib/format.ts";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./fleet.module.css";

/**
 * Fleet refresh period. Polling, not a subscription: the answer is one query over per-till counters
 * (cheap at 500 tills), works through any proxy, and 5 s is well inside a till's sync period.
 */
const REFRESH_MS = 5_000;
/**
 * Tills a page shows. The list arrives whole (the summary and "needs attention first" are the whole
 * fleet's) and is sorted here; a chain's 500 tills in one table made the page's largest paint wait
 * for ~6,000 rendered cells.
 */
const PAGE_SIZE = 50;

/** Fleet is one answer with every till, so the table sorts it in the browser (the URL keeps the sort). */
const SORTABLE = ["terminal", "store", "status", "lastSync", "pending", "dlq", "clockSkew"] as const;
const HEALTH_ORDER = { attention: 0, offline: 1, ok: 2 } as const;

function fleetColumns(
  t: ReturnType<typeof useTranslations<"fleet">>,
  format: Formatter,
  asOf: Date,
  family: ReturnType<typeof useTranslations<"registerFamily">>,
) {
  const column = dataTableColumns<TTerminalView>();
  return [
    column.accessor("name", {
      id: "terminal",
      header: t("columns.terminal"),
      sortFn: "alphanumeric",
      cell: ({ row }) => (
        <>
          <Link href={`/terminals/${row.original.id}`}>
            <Strong>{row.original.name}</Strong>
          </Link>
          <Muted mono block>
            {row.original.id}
          </Muted>
        </>
      ),
    }),
    column.accessor((t) => t.store.name, { id: "store", header: t("columns.store"), sortFn: "alphanumeric" }),
    column.accessor((t) => HEALTH_ORDER[t.health] * 100 - t.reasons.length, {
      id: "status",
      header: t("columns.status"),
      cell: ({ row }) => (
        <>
          <HealthBadge terminal={row.original} />
          <HealthReasons reasons={row.original.reasons} />
        </>
      ),
    }),
    column.accessor((t) => t.lastSyncAt?.getTime() ?? 0, {
      id: "lastSync",
      header: t("columns.lastSync"),
      cell: ({ row }) => (
        <span title={format.dateTime(row.original.lastSyncAt, row.original.store.timezone)}>
          {format.age(row.original.lastSyncAt, asOf)}
        </span>
      ),
    }),
    column.accessor((t) => t.pending ?? -1, {
      id: "pending",
      header: t("columns.pending"),
      meta: { numeric: true },
      cell: ({ row }) => format.number(row.original.pending),
    }),
    column.accessor("dlqPending", {
      id: "dlq",
      header: t("columns.dlq"),
      meta: { numeric: true },
      cell: ({ getValue }) => {
        const count = getValue<number>();
        return count > 0 ? <Badge tone="danger">{format.number(count)}</Badge> : format.number(0);
      },
    }),
    column.display({
      id: "register",
      header: family("column"),
      cell: ({ row }) => {
        const { family: kind, model } = row.original.register;
        if (!kind && !model) return <Muted>{family("unknown")}</Muted>;
        return [kind ? family(`family.${kind}`) : null, model].filter(Boolean).join(" · ");
      },
    }),
    column.display({
      id: "breakers",
      header: t("columns.breakers"),
      cell: ({ row }) => <BreakerBadges breakers={row.original.breakers} />,
    }),
    column.display({
      id: "fnBacklog",
      header: t("columns.fnBacklog"),
      cell: ({ row }) => <FnBacklog fn={row.original.fn} />,
    }),
    column.accessor((t) => Math.abs(t.clockSkewMs ?? 0), {
      id: "clockSkew",
      header: t("columns.clockSkew"),
      meta: { numeric: true },
      cell: ({ row }) => format.skew(row.original.clockSkewMs),
    }),
  ];
}

export function FleetTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const t = useTranslations("fleet");
  const common = useTranslations("common");
  const family = useTranslations("registerFamily");
  const format = useFormat();
  const { data, isFetching } = useSuspenseQuery(
    trpc.dashboard.fleet.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  const urlSort = useUrlSort(SORTABLE, null);
  const { pagination, onSortChange } = useUrlClientPages(data.terminals.length, PAGE_SIZE, {
    onSortChange: urlSort.onSortChange,
  });
  const { sort } = urlSort;
  const columns = useMemo(() => fleetColumns(t, format, data.asOf, family), [t, format, data.asOf, family]);
  const { summary } = data;
  return (
    <>
      <div className={styles.top}>
        <Stats label={t("summary.label")}>
          <Stat
            label={t("summary.online")}
            value={t("summary.onlineOf", { online: summary.online, tills: summary.tills })}
          />
          <Stat
            label={t("summary.needsAttention")}
            value={format.number(summary.needsAttention)}
            tone={summary.needsAttention > 0 ? "danger" : "ok"}
          />
          <Stat
            label={t("summary.receiptsWaiting")}
            value={format.number(summary.receiptsWaiting)}
            tone={summary.receiptsWaiting > 0 ? "warn" : "ok"}
          />
          <Stat
            label={t("summary.dlqItems")}
            value={format.number(summary.dlqItems)}
            tone={summary.dlqItems > 0 ? "danger" : "ok"}
          />
          <Stat
            label={t("summary.openBreakers")}
            value={format.number(summary.openBreakerTills)}
            tone={summary.openBreakerTills > 0 ? "danger" : "ok"}
          />
          <Stat
            label={t("summary.fnAgeWarnings")}
            value={format.number(summary.fnAgeWarnings)}
            tone={summary.fnAgeWarnings > 0 ? "warn" : "ok"}
          />
        </Stats>
        <span className={styles.live}>
          <RefreshCw size={14} aria-hidden className={isFetching ? styles.spin : undefined} />{" "}
          {common("live", { seconds: REFRESH_MS / 1000 })}
        </span>
      </div>
      <DataTable
        caption={t("caption")}
        columns={columns}
        data={data.terminals}
        getRowId={(terminal) => terminal.id}
        empty={t("empty")}
        // No sort in the URL: the server's order, tills needing attention first.
        sorting={{ sort, onSortChange, mode: "client" }}
        pagination={pagination}
        rowHref={(terminal) => `/terminals/${terminal.id}`}
        onRowNavigate={(href) => router.push(href)}
        testId="fleet-table"
      />
    </>
  );
}
