"use client";

import type { TAuditLogEntry } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useMemo } from "react";
import { DataTable, dataTableColumns, useUrlCursor } from "~/components/data-table.tsx";
import { FilterBar, FilterSelect } from "~/components/filter-bar.tsx";
import { Badge, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { AUDIT_KINDS, auditListInput, auditSearchParams } from "./search-params.ts";

// The organization's log has no single store: times in Moscow time, as the DLQ log shows them.
const TIME_ZONE = "Europe/Moscow";
const KNOWN_ACTIONS = [
  "store_create",
  "store_update",
  "till_provision",
  "till_rotate_key",
  "till_retire",
  "member_invite",
  "member_update",
  "member_remove",
  "invitation_revoke",
  "invitation_accept",
  "settings_update",
  "dlq_retry",
  "dlq_discard",
] as const;

export function AuditFilters() {
  const t = useTranslations("admin.audit.filters");
  const [search, setSearch] = useQueryStates(auditSearchParams);
  return (
    // The kind applies as it is picked: this bar has no Apply button.
    <FilterBar label={t("label")}>
      <FilterSelect
        label={t("kind")}
        name="kind"
        value={search.kind ?? ""}
        onChange={(e) => {
          const kind = AUDIT_KINDS.find((k) => k === e.currentTarget.value) ?? null;
          void setSearch({ kind, cursor: null });
        }}
        data-testid="audit-kind"
        anyLabel={t("all")}
        options={AUDIT_KINDS.map((k) => ({ value: k, label: t(k) }))}
      />
    </FilterBar>
  );
}

export function AuditLog() {
  const trpc = useTRPC();
  const t = useTranslations("admin.audit");
  const roles = useTranslations("admin.roles");
  const format = useFormat();
  const [search] = useQueryStates(auditSearchParams);
  const { paginate } = useUrlCursor();
  const { data } = useSuspenseQuery(trpc.dashboard.admin.audit.list.queryOptions(auditListInput(search)));
  const columns = useMemo(() => {
    const column = dataTableColumns<TAuditLogEntry>();
    const roleName = (role: string) => {
      const known = (["owner", "manager", "support"] as const).find((r) => r === role);
      return known ? roles(known) : role;
    };
    const actionName = (action: string) => {
      const key = KNOWN_ACTIONS.find((k) => k === action.replace(".", "_"));
      return key ? t(`actions.${key}`) : t("actions.other", { action });
    };
    return [
      column.accessor("at", {
        header: t("columns.at"),
        cell: (c) => format.dateTime(c.getValue(), TIME_ZONE),
      }),
      column.accessor("actor", {
        header: t("columns.actor"),
        cell: ({ row }) => (
          <>
            {row.original.actor}
            {row.original.role && <Muted block>{roleName(row.original.role)}</Muted>}
          </>
        ),
      }),
      column.accessor("action", {
        header: t("columns.action"),
        cell: ({ row }) => (
          <Badge tone={row.original.kind === "dlq" ? "warn" : "neutral"} testId="audit-action">
            {actionName(row.original.action)}
          </Badge>
        ),
      }),
      column.accessor("summary", {
        header: t("columns.summary"),
        cell: (c) => <span data-testid="audit-summary">{c.getValue()}</span>,
      }),
      column.accessor("result", {
        header: t("columns.result"),
        cell: (c) => (c.getValue() === "done" ? t("resultDone") : c.getValue()),
      }),
    ];
  }, [t, roles, format]);
  return (
    <DataTable
      caption={t("caption")}
      columns={columns}
      data={data.entries}
      getRowId={(e) => `${e.kind}/${e.organizationId}/${e.id}`}
      empty={t("empty")}
      pagination={paginate(data.nextCursor)}
      testId="audit-table"
    />
  );
}
