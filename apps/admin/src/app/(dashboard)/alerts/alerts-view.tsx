"use client";

import type { TAlertView } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useMemo } from "react";
import { DataTable, dataTableColumns, useUrlCursor } from "~/components/data-table.tsx";
import { FilterBar, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter } from "~/components/scope-filters.tsx";
import { Badge, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./alerts.module.css";
import {
  ALERT_RULE_VALUES,
  ALERT_STATES,
  ALERTS_REFRESH_MS,
  alertsListInput,
  alertsSearchParams,
} from "./search-params.ts";

/** Rule, store and state, in the URL so a pasted link shows the same alerts. */
export function AlertsFilters() {
  const trpc = useTRPC();
  const t = useTranslations("alerts.filters");
  const tr = useTranslations("alerts");
  const [search, setSearch] = useQueryStates(alertsSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());

  return (
    <FilterBar
      label={t("label")}
      state={search}
      applyLabel={t("apply")}
      applyIcon={Search}
      clearLabel={t("clear")}
      onApply={(field) =>
        void setSearch({
          rule: ALERT_RULE_VALUES.find((r) => r === field("rule")) ?? null,
          storeId: field("storeId"),
          state: ALERT_STATES.find((s) => s === field("state")) ?? "firing",
          cursor: null,
        })
      }
      onClear={() => void setSearch({ rule: null, storeId: null, state: "firing", cursor: null })}
    >
      <FilterSelect
        label={t("rule")}
        name="rule"
        defaultValue={search.rule ?? ""}
        anyLabel={t("anyRule")}
        options={ALERT_RULE_VALUES.map((rule) => ({ value: rule, label: tr("rules", { rule }) }))}
      />
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <FilterSelect
        label={t("state")}
        name="state"
        defaultValue={search.state}
        options={ALERT_STATES.map((state) => ({ value: state, label: t("states", { state }) }))}
      />
    </FilterBar>
  );
}

/** Firing alerts (or history), newest first, a page at a time; kept live by polling. */
export function AlertsTable() {
  const trpc = useTRPC();
  const t = useTranslations("alerts");
  const format = useFormat();
  const [{ cursor: _cursor, ...search }] = useQueryStates(alertsSearchParams);
  const { cursor, paginate } = useUrlCursor();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data } = useSuspenseQuery(
    trpc.dashboard.alerts.list.queryOptions(alertsListInput(search, cursor), {
      refetchInterval: ALERTS_REFRESH_MS,
    }),
  );
  const zone = useMemo(() => {
    const zones = new Map(me.stores.map((s) => [s.id, s.timezone]));
    return (storeId: string | null) => (storeId ? zones.get(storeId) : undefined) ?? "Europe/Moscow";
  }, [me]);

  const columns = useMemo(() => {
    const column = dataTableColumns<TAlertView>();
    const figure = (alert: TAlertView, value: number) =>
      t("figure", { unit: alert.unit, value: format.number(Math.round(value * 10) / 10) });
    return [
      column.accessor("firedAt", {
        header: t("table.columns.firedAt"),
        cell: ({ row }) => format.dateTime(row.original.firedAt, zone(row.original.storeId)),
      }),
      column.accessor("rule", {
        header: t("table.columns.rule"),
        cell: ({ row }) => (
          <>
            {t("rules", { rule: row.original.rule })}
            {row.original.destination && (
              <Muted block>{t("table.destination", { destination: row.original.destination })}</Muted>
            )}
          </>
        ),
      }),
      column.accessor("terminalName", {
        id: "terminal",
        header: t("table.columns.terminal"),
        cell: ({ row }) =>
          row.original.terminalId ? (
            <>
              <Link href={`/terminals/${row.original.terminalId}`}>{row.original.terminalName}</Link>
              <Muted block>{row.original.storeName}</Muted>
            </>
          ) : (
            <Muted>{row.original.storeName}</Muted>
          ),
      }),
      column.accessor("value", {
        header: t("table.columns.value"),
        meta: { numeric: true },
        cell: ({ row }) => (
          <>
            {figure(row.original, row.original.value)}
            <Muted block>
              {t("table.threshold", { threshold: figure(row.original, row.original.threshold) })}
            </Muted>
          </>
        ),
      }),
      column.display({
        id: "state",
        header: t("table.columns.state"),
        cell: ({ row }) =>
          row.original.resolvedAt ? (
            <Badge tone="ok">{t("table.resolved")}</Badge>
          ) : (
            <Badge tone="danger">{t("table.firing")}</Badge>
          ),
      }),
      column.accessor("resolvedAt", {
        header: t("table.columns.resolvedAt"),
        cell: ({ row }) =>
          row.original.resolvedAt
            ? format.dateTime(row.original.resolvedAt, zone(row.original.storeId))
            : "—",
      }),
    ];
  }, [t, format, zone]);

  return (
    <section aria-label={t("table.caption")}>
      <div className={styles.toolbar}>
        <span data-testid="alerts-total">{t("table.total", { count: data.total, state: search.state })}</span>
      </div>
      <DataTable
        caption={t("table.caption")}
        columns={columns}
        data={data.items}
        getRowId={(row) => `${row.organizationId}/${row.id}`}
        empty={t("table.empty", { state: search.state })}
        pagination={paginate(data.nextCursor)}
        testId="alerts-table"
      />
    </section>
  );
}
