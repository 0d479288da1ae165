"use client";

import type {
  TDlqActionEntry,
  TDlqGroup,
  TDlqItemSummary,
  TDlqSelection,
  TGetMeOutput,
} from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { RotateCcw, Search, Trash2 } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useEffect, useMemo, useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog.tsx";
import { DataTable, dataTableColumns, useUrlCursor } from "~/components/data-table.tsx";
import { FilterBar, FilterInput, FilterNote, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter, TerminalFilter } from "~/components/scope-filters.tsx";
import { Badge, buttonClass, Mono, Muted, type Tone } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./dlq.module.css";
import {
  DLQ_AGES,
  DLQ_STATES,
  DLQ_VIEWS,
  dlqFilter,
  dlqListInput,
  dlqSearchParams,
} from "./search-params.ts";

type Action = "retry" | "discard";
const keyOf = (item: TDlqItemSummary) => `${item.terminalId}/${item.id}`;
/** What the confirm dialog acts on: its selection, in one organization, and how to name it. */
interface PendingAction {
  action: Action;
  organizationId: string;
  selection: TDlqSelection;
}

const COMMAND_TONE: Record<string, Tone> = {
  issued: "neutral",
  delivered: "warn",
  applied: "ok",
  failed: "danger",
};
const STATE_TONE: Record<string, Tone> = { pending: "danger", retried: "ok", discarded: "neutral" };

/** Whether the user may retry or discard in an organization (the server decides; this only hides buttons). */
function canAct(me: TGetMeOutput, organizationId: string): boolean {
  const role = me.memberships.find((m) => m.organizationId === organizationId)?.role;
  return role === "owner" || role === "support";
}

function useTimezones() {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  return useMemo(() => {
    const zones = new Map(me.stores.map((s) => [s.id, s.timezone]));
    return (storeId: string) => zones.get(storeId) ?? "Europe/Moscow";
  }, [me]);
}

/** Items · Groups · Audit log: the tab is in the URL like the filters. */
export function DlqTabs() {
  const t = useTranslations("dlq.tabs");
  const [search, setSearch] = useQueryStates(dlqSearchParams);
  return (
    <nav className={styles.tabs} aria-label={t("label")}>
      {DLQ_VIEWS.map((view) => (
        <button
          key={view}
          type="button"
          className={search.view === view ? `${styles.tab} ${styles.active}` : styles.tab}
          aria-current={search.view === view ? "page" : undefined}
          onClick={() => void setSearch({ view, cursor: null })}
        >
          {t(view)}
        </button>
      ))}
    </nav>
  );
}

/** The filters (store, till, kind, error code, age, state), in the URL so a link shows the same items. */
export function DlqFilters() {
  const trpc = useTRPC();
  const t = useTranslations("dlq.filters");
  const [search, setSearch] = useQueryStates(dlqSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data: fleet } = useSuspenseQuery(trpc.dashboard.fleet.list.queryOptions());
  if (search.view === "audit") return null;

  return (
    <FilterBar
      label={t("label")}
      state={search}
      applyLabel={t("apply")}
      applyIcon={Search}
      clearLabel={t("clear")}
      onApply={(field) =>
        void setSearch({
          storeId: field("storeId"),
          terminalId: field("terminalId"),
          kind: field("kind"),
          errorCode: field("errorCode"),
          age: DLQ_AGES.find((a) => a === field("age")) ?? null,
          state: DLQ_STATES.find((s) => s === field("state")) ?? "pending",
          cursor: null,
        })
      }
      onClear={() =>
        void setSearch({
          storeId: null,
          terminalId: null,
          kind: null,
          errorCode: null,
          fingerprint: null,
          age: null,
          state: "pending",
          cursor: null,
        })
      }
      footer={
        search.fingerprint && (
          <FilterNote>
            {t("fingerprint")} <Mono>{search.fingerprint}</Mono>{" "}
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => void setSearch({ fingerprint: null, cursor: null })}
            >
              {t("clearFingerprint")}
            </button>
          </FilterNote>
        )
      }
    >
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <TerminalFilter
        label={t("terminal")}
        allLabel={t("allTerminals")}
        terminals={fleet.terminals}
        value={search.terminalId}
      />
      <FilterInput label={t("kind")} name="kind" defaultValue={search.kind ?? ""} placeholder="receipt" />
      <FilterInput
        label={t("errorCode")}
        name="errorCode"
        defaultValue={search.errorCode ?? ""}
        placeholder="VALIDATION_FAILED"
      />
      <FilterSelect
        label={t("age")}
        name="age"
        defaultValue={search.age ?? ""}
        anyLabel={t("anyAge")}
        options={DLQ_AGES.map((age) => ({ value: age, label: t("ages", { age }) }))}
      />
      <FilterSelect
        label={t("state")}
        name="state"
        defaultValue={search.state}
        options={DLQ_STATES.map((state) => ({ value: state, label: t("states", { state }) }))}
      />
    </FilterBar>
  );
}

/** The tab the URL names. */
export function DlqTabView() {
  const [search] = useQueryStates(dlqSearchParams);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const t = useTranslations("dlq");
  return (
    <>
      <p className={styles.status} role="status" data-testid="dlq-action-result">
        {done}
      </p>
      {search.view === "items" && <DlqItems onAct={setPending} />}
      {search.view === "groups" && <DlqGroups onAct={setPending} />}
      {search.view === "audit" && <DlqAudit />}
      {pending && (
        <ConfirmAction
          pending={pending}
          onClose={(result) => {
            setPending(null);
            if (result !== null) setDone(t("dialog.done", { action: pending.action, count: result }));
          }}
        />
      )}
    </>
  );
}

function CommandBadge({ item }: { item: TDlqItemSummary }) {
  const t = useTranslations("dlq");
  if (!item.command) return <Muted>{t("command.none")}</Muted>;
  return (
    <Badge tone={COMMAND_TONE[item.command.state] ?? "neutral"} testId="dlq-command-state">
      {t("command.state", { action: item.command.action, state: item.command.state })}
    </Badge>
  );
}

function DlqItems({ onAct }: { onAct: (action: PendingAction) => void }) {
  const trpc = useTRPC();
  const t = useTranslations("dlq");
  const format = useFormat();
  const zone = useTimezones();
  const [{ view: _view, cursor: _cursor, ...search }] = useQueryStates(dlqSearchParams);
  const filter = dlqFilter(search);
  const { cursor, paginate } = useUrlCursor();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data } = useSuspenseQuery(trpc.dashboard.dlq.list.queryOptions(dlqListInput(filter, cursor)));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const selectedItems = data.items.filter((i) => selected.has(keyOf(i)));
  const organizations = [...new Set(data.items.map((i) => i.organizationId))];
  const organizationId = organizations.length === 1 ? organizations[0]! : null;
  const mayAct = organizationId !== null && canAct(me, organizationId);
  const { state: _state, ...matching } = filter;

  const columns = useMemo(() => {
    const column = dataTableColumns<TDlqItemSummary>();
    return [
      ...(mayAct
        ? [
            column.display({
              id: "select",
              header: () => <span className={styles.srOnly}>{t("items.select")}</span>,
              cell: ({ row }) => {
                const key = keyOf(row.original);
                return (
                  <input
                    type="checkbox"
                    aria-label={t("items.selectOne", { id: row.original.itemId })}
                    checked={selected.has(key)}
                    disabled={row.original.state !== "pending"}
                    onChange={(event) => {
                      const next = new Set(selected);
                      if (event.target.checked) next.add(key);
                      else next.delete(key);
                      setSelected(next);
                    }}
                  />
                );
              },
            }),
          ]
        : []),
      column.accessor("deadAt", {
        id: "deadAt",
        header: t("items.columns.deadAt"),
        cell: ({ row }) => format.dateTime(row.original.deadAt, zone(row.original.storeId)),
      }),
      column.accessor("terminalName", {
        id: "terminal",
        header: t("items.columns.terminal"),
        cell: ({ row }) => (
          <>
            <Link href={`/terminals/${row.original.terminalId}`}>{row.original.terminalName}</Link>
            <Muted block>{row.original.storeName}</Muted>
          </>
        ),
      }),
      column.accessor("kind", { header: t("items.columns.kind") }),
      column.accessor("errorCode", {
        header: t("items.columns.error"),
        cell: ({ row }) => (
          <>
            <Mono>{row.original.errorCode}</Mono>
            <Muted block>{row.original.reason}</Muted>
          </>
        ),
      }),
      column.accessor("attempts", { header: t("items.columns.attempts"), meta: { numeric: true } }),
      column.accessor("state", {
        header: t("items.columns.state"),
        cell: ({ row }) => (
          <Badge tone={STATE_TONE[row.original.state] ?? "neutral"}>
            {t("filters.states", { state: row.original.state })}
          </Badge>
        ),
      }),
      column.display({
        id: "command",
        header: t("items.columns.command"),
        cell: ({ row }) => <CommandBadge item={row.original} />,
      }),
      column.display({
        id: "item",
        header: t("items.columns.item"),
        cell: ({ row }) => (
          <Link href={`/dlq/${row.original.terminalId}/${encodeURIComponent(row.original.id)}`}>
            <Mono>{row.original.itemId}</Mono>
          </Link>
        ),
      }),
    ];
  }, [t, format, zone, selected, mayAct]);

  return (
    <section aria-label={t("items.caption")}>
      <div className={styles.toolbar}>
        <span data-testid="dlq-total">{t("items.total", { count: data.total })}</span>
        {mayAct && organizationId && (
          <div className={styles.actions}>
            <button
              type="button"
              className={buttonClass.base}
              disabled={selectedItems.length === 0}
              onClick={() =>
                onAct({
                  action: "retry",
                  organizationId,
                  selection: {
                    type: "items",
                    items: selectedItems.map((i) => ({ terminalId: i.terminalId, id: i.id })),
                  },
                })
              }
            >
              <RotateCcw size={15} aria-hidden /> {t("items.retrySelected", { count: selectedItems.length })}
            </button>
            <button
              type="button"
              className={buttonClass.base}
              disabled={selectedItems.length === 0}
              onClick={() =>
                onAct({
                  action: "discard",
                  organizationId,
                  selection: {
                    type: "items",
                    items: selectedItems.map((i) => ({ terminalId: i.terminalId, id: i.id })),
                  },
                })
              }
            >
              <Trash2 size={15} aria-hidden /> {t("items.discardSelected", { count: selectedItems.length })}
            </button>
            {filter.state === "pending" && data.total > 0 && (
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() =>
                  onAct({ action: "retry", organizationId, selection: { type: "filter", filter: matching } })
                }
              >
                <RotateCcw size={15} aria-hidden /> {t("items.retryMatching", { count: data.total })}
              </button>
            )}
          </div>
        )}
      </div>
      <DataTable
        caption={t("items.caption")}
        columns={columns}
        data={data.items}
        getRowId={keyOf}
        empty={t("items.empty")}
        pagination={paginate(data.nextCursor)}
        testId="dlq-items-table"
      />
    </section>
  );
}

function DlqGroups({ onAct }: { onAct: (action: PendingAction) => void }) {
  const trpc = useTRPC();
  const t = useTranslations("dlq");
  const format = useFormat();
  const [{ view: _view, cursor: _cursor, ...search }, setSearch] = useQueryStates(dlqSearchParams);
  const filter = dlqFilter(search);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data } = useSuspenseQuery(trpc.dashboard.dlq.groups.queryOptions(filter));
  const filterKey = JSON.stringify(filter);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter object is rebuilt each render; its JSON is its identity
  const groupFilter = useMemo(() => {
    const { state: _state, fingerprint: _fingerprint, ...rest } = filter;
    return rest;
  }, [filterKey]);
  const columns = useMemo(() => {
    const column = dataTableColumns<TDlqGroup>();
    return [
      column.accessor("errorCode", {
        header: t("groups.columns.cause"),
        cell: ({ row }) => (
          <>
            <Mono>{row.original.errorCode}</Mono>
            <Muted block>{row.original.message}</Muted>
          </>
        ),
      }),
      column.accessor("items", {
        header: t("groups.columns.items"),
        meta: { numeric: true },
        cell: ({ row }) => <span data-testid="dlq-group-items">{format.number(row.original.items)}</span>,
      }),
      column.accessor("tills", { header: t("groups.columns.tills"), meta: { numeric: true } }),
      column.accessor("kinds", {
        header: t("groups.columns.kinds"),
        cell: ({ row }) => row.original.kinds.join(", "),
      }),
      column.accessor("firstSeen", {
        header: t("groups.columns.firstSeen"),
        cell: ({ row }) => format.dateTime(row.original.firstSeen, "Europe/Moscow"),
      }),
      column.accessor("lastSeen", {
        header: t("groups.columns.lastSeen"),
        cell: ({ row }) => format.dateTime(row.original.lastSeen, "Europe/Moscow"),
      }),
      column.display({
        id: "actions",
        header: t("groups.columns.actions"),
        cell: ({ row }) => {
          const group = row.original;
          const selection: TDlqSelection = {
            type: "group",
            fingerprint: group.fingerprint,
            filter: groupFilter,
          };
          return (
            <div className={styles.actions}>
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() =>
                  void setSearch({ view: "items", fingerprint: group.fingerprint, cursor: null })
                }
              >
                {t("groups.show")}
              </button>
              {canAct(me, group.organizationId) && filter.state === "pending" && (
                <>
                  <button
                    type="button"
                    className={buttonClass.base}
                    onClick={() =>
                      onAct({ action: "retry", organizationId: group.organizationId, selection })
                    }
                  >
                    <RotateCcw size={15} aria-hidden /> {t("groups.retry")}
                  </button>
                  <button
                    type="button"
                    className={buttonClass.base}
                    onClick={() =>
                      onAct({ action: "discard", organizationId: group.organizationId, selection })
                    }
                  >
                    <Trash2 size={15} aria-hidden /> {t("groups.discard")}
                  </button>
                </>
              )}
            </div>
          );
        },
      }),
    ];
  }, [t, format, me, filter.state, groupFilter, onAct, setSearch]);
  return (
    <DataTable
      caption={t("groups.caption")}
      columns={columns}
      data={data.groups}
      getRowId={(g) => `${g.organizationId}/${g.fingerprint}`}
      empty={t("groups.empty")}
      testId="dlq-groups-table"
    />
  );
}

function DlqAudit() {
  const trpc = useTRPC();
  const t = useTranslations("dlq");
  const format = useFormat();
  const { cursor, paginate } = useUrlCursor();
  const { data } = useSuspenseQuery(trpc.dashboard.dlq.actions.queryOptions(cursor ? { cursor } : {}));
  const columns = useMemo(() => {
    const column = dataTableColumns<TDlqActionEntry>();
    return [
      column.accessor("at", {
        header: t("audit.columns.at"),
        cell: ({ row }) => format.dateTime(row.original.at, "Europe/Moscow"),
      }),
      column.accessor("actor", { header: t("audit.columns.actor") }),
      column.accessor("action", {
        header: t("audit.columns.action"),
        cell: ({ row }) => (
          <>
            {t("audit.what", { action: row.original.action, selection: row.original.selection })}
            {row.original.fingerprint && (
              <Muted block mono>
                {row.original.fingerprint}
              </Muted>
            )}
            {row.original.reason && <Muted block>{row.original.reason}</Muted>}
          </>
        ),
      }),
      column.accessor("issued", {
        header: t("audit.columns.count"),
        meta: { numeric: true },
        cell: ({ row }) => t("audit.count", { issued: row.original.issued, skipped: row.original.skipped }),
      }),
      column.display({
        id: "result",
        header: t("audit.columns.result"),
        cell: ({ row }) => (
          <span data-testid="dlq-audit-result">{t("audit.result", row.original.commands)}</span>
        ),
      }),
    ];
  }, [t, format]);
  return (
    <DataTable
      caption={t("audit.caption")}
      columns={columns}
      data={data.actions}
      getRowId={(a) => `${a.organizationId}/${a.id}`}
      empty={t("audit.empty")}
      pagination={paginate(data.nextCursor)}
      testId="dlq-audit-table"
    />
  );
}

/**
 * The dry run, then the confirmation: opening the dialog counts what the action would touch (nothing
 * is written); confirming sends that count back, so a selection that changed meanwhile is refused.
 */
export function ConfirmAction({
  pending,
  onClose,
}: {
  pending: PendingAction;
  /** The number of commands issued, or null when cancelled. */
  onClose: (issued: number | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("dlq.dialog");
  const retry = useMutation(trpc.dashboard.dlq.retry.mutationOptions());
  const discard = useMutation(trpc.dashboard.dlq.discard.mutationOptions());
  const [count, setCount] = useState<{ issued: number; skipped: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const busy = retry.isPending || discard.isPending;
  const base = { organizationId: pending.organizationId, selection: pending.selection };

  async function dryRun() {
    setError(null);
    try {
      const result =
        pending.action === "retry"
          ? await retry.mutateAsync({ ...base, dryRun: true })
          : await discard.mutateAsync({ ...base, dryRun: true, reason: reason.trim() || "—" });
      setCount({ issued: result.issued, skipped: result.skipped });
    } catch (e) {
      setError(isTRPCClientError(e) ? e.message : t("failed"));
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: the dry run runs once, when the dialog opens
  useEffect(() => {
    void dryRun();
  }, []);

  async function confirm() {
    if (!count) return;
    setError(null);
    try {
      const result =
        pending.action === "retry"
          ? await retry.mutateAsync({ ...base, expectCount: count.issued })
          : await discard.mutateAsync({ ...base, expectCount: count.issued, reason });
      await queryClient.invalidateQueries({ queryKey: trpc.dashboard.dlq.pathKey() });
      onClose(result.issued);
    } catch (e) {
      const fieldErrors = isTRPCClientError(e) ? e.data?.fieldErrors : undefined;
      setError(
        fieldErrors?.expectCount
          ? t("changed")
          : (fieldErrors?.reason?.[0] ?? (isTRPCClientError(e) ? e.message : t("failed"))),
      );
      if (fieldErrors?.expectCount) void dryRun();
    }
  }

  return (
    <ConfirmDialog
      title={t("title", { action: pending.action })}
      onClose={() => onClose(null)}
      onConfirm={() => void confirm()}
      confirmLabel={t("confirm", { action: pending.action, count: count?.issued ?? 0 })}
      cancelLabel={t("cancel")}
      pending={busy}
      disabled={count === null || count.issued === 0}
      error={error}
      testId="dlq-confirm"
    >
      <p data-testid="dlq-dry-run">
        {count === null
          ? t("counting")
          : t("count", { action: pending.action, issued: count.issued, skipped: count.skipped })}
      </p>
      {pending.action === "discard" && (
        <label>
          {t("reason")}
          <textarea
            name="reason"
            required
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
      )}
    </ConfirmDialog>
  );
}
