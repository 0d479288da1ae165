"use client";

import type { TCashDay, TShiftReconciliation } from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { CircleAlert, CircleCheck, Clock, Download, Hourglass, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog.tsx";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { FilterBar, FilterInput, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter } from "~/components/scope-filters.tsx";
import { Badge, Badges, buttonClass, Muted, type Tone } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./cash.module.css";
import {
  CASH_SORT_COLUMNS,
  CASH_STATES,
  cashCsvHref,
  cashFilter,
  cashSearchParams,
  cashShiftsInput,
} from "./search-params.ts";

const STATE_TONE: Record<TShiftReconciliation["state"], Tone> = {
  open: "neutral",
  not_counted: "warn",
  within_tolerance: "ok",
  needs_approval: "danger",
  approved: "ok",
};

/** The filter form and the CSV download; everything lives in the URL. */
export function CashFilters() {
  const trpc = useTRPC();
  const t = useTranslations("cash.filters");
  const states = useTranslations("cash.states");
  const [search, setSearch] = useQueryStates(cashSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  return (
    <FilterBar
      label={t("label")}
      state={search}
      applyLabel={t("apply")}
      clearLabel={t("clear")}
      onApply={(field) =>
        void setSearch({
          storeId: field("storeId"),
          dayFrom: field("dayFrom"),
          dayTo: field("dayTo"),
          state: CASH_STATES.find((s) => s === field("state")) ?? null,
          page: 0,
        })
      }
      onClear={() => void setSearch(null)}
      actions={
        <a className={buttonClass.ghost} href={cashCsvHref(search)} download data-testid="cash-csv">
          <Download size={16} aria-hidden /> {t("csv")}
        </a>
      }
    >
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <FilterInput label={t("dayFrom")} name="dayFrom" type="date" defaultValue={search.dayFrom ?? ""} />
      <FilterInput label={t("dayTo")} name="dayTo" type="date" defaultValue={search.dayTo ?? ""} />
      <FilterSelect
        label={t("state")}
        name="state"
        defaultValue={search.state ?? ""}
        anyLabel={t("anyState")}
        options={CASH_STATES.map((s) => ({ value: s, label: states(s) }))}
      />
    </FilterBar>
  );
}

/** Cash per store and day. */
export function CashDays() {
  const trpc = useTRPC();
  const t = useTranslations("cash.days");
  const f = useFormat();
  const [search] = useQueryStates(cashSearchParams);
  const { data } = useSuspenseQuery(trpc.dashboard.cash.days.queryOptions(cashFilter(search)));
  const column = dataTableColumns<TCashDay>();
  const columns = [
    column.accessor("day", { header: t("day") }),
    column.accessor("storeName", { header: t("store") }),
    column.accessor("shifts", {
      header: t("shifts"),
      meta: { numeric: true },
      cell: (c) => f.number(c.getValue()),
    }),
    column.accessor("openShifts", {
      header: t("open"),
      meta: { numeric: true },
      cell: (c) => f.number(c.getValue()),
    }),
    column.accessor("expected", {
      header: t("expected"),
      meta: { numeric: true },
      cell: (c) => f.money(c.getValue()),
    }),
    column.accessor("counted", {
      header: t("counted"),
      meta: { numeric: true },
      cell: (c) => f.money(c.getValue()),
    }),
    column.accessor("variance", {
      header: t("variance"),
      meta: { numeric: true },
      cell: (c) => <Variance value={c.getValue()} />,
    }),
    column.display({
      id: "attention",
      header: t("attention"),
      cell: ({ row }) => (
        <Badges>
          {row.original.needsApproval > 0 && (
            <Badge tone="danger">{t("needsApproval", { count: row.original.needsApproval })}</Badge>
          )}
          {row.original.provisional > 0 && (
            <Badge tone="warn">{t("provisional", { count: row.original.provisional })}</Badge>
          )}
        </Badges>
      ),
    }),
  ];
  return (
    <section className={styles.section}>
      <h2 className={styles.sectionTitle}>{t("title")}</h2>
      <DataTable
        caption={t("caption")}
        columns={columns}
        data={data.days}
        getRowId={(d) => `${d.storeId}/${d.day}`}
        empty={t("empty")}
        testId="cash-days-table"
      />
    </section>
  );
}

function Variance({ value }: { value: bigint | null }) {
  const f = useFormat();
  if (value === null) return <Muted>{f.money(null)}</Muted>;
  const text = value > 0n ? `+${f.money(value)}` : f.money(value);
  return (
    <span className={value < 0n ? styles.negative : value > 0n ? styles.positive : undefined}>{text}</span>
  );
}

/** What has not reached the server yet, in words (the provisional badge's explanation). */
function MissingList({ shift }: { shift: TShiftReconciliation }) {
  const t = useTranslations("cash.missing");
  const f = useFormat();
  const m = shift.missing;
  const items: string[] = [];
  if (m.missingReceipts > 0) {
    items.push(
      t("receipts", {
        count: m.missingReceipts,
        ranges: m.receiptSeqs.map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`)).join(", "),
      }),
    );
  }
  if (m.fiscalDocuments > 0) items.push(t("fiscal", { count: m.fiscalDocuments }));
  if (m.cashSales > 0n) items.push(t("cashSales", { amount: f.money(m.cashSales) }));
  if (m.cashRefunds > 0n) items.push(t("cashRefunds", { amount: f.money(m.cashRefunds) }));
  if (m.cashIn > 0n) items.push(t("cashIn", { amount: f.money(m.cashIn) }));
  if (m.cashOut > 0n) items.push(t("cashOut", { amount: f.money(m.cashOut) }));
  return (
    <ul className={styles.missing} data-testid="cash-missing">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

/** The shifts with expected, counted and variance; approval of a variance above tolerance. */
export function CashShifts() {
  const trpc = useTRPC();
  const t = useTranslations("cash.shifts");
  const states = useTranslations("cash.states");
  const f = useFormat();
  const [search, setSearch] = useQueryStates(cashSearchParams);
  const { data } = useSuspenseQuery(trpc.dashboard.cash.shifts.queryOptions(cashShiftsInput(search)));
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const [approving, setApproving] = useState<TShiftReconciliation | null>(null);

  // The server decides (cash.approve is managers' and owners'); the button only shows where it would succeed.
  const canApprove = (s: TShiftReconciliation) =>
    me.memberships.some(
      (m) =>
        m.organizationId === s.organizationId &&
        (m.role === "owner" || m.role === "manager") &&
        (m.storeIds === null || m.storeIds.includes(s.storeId)),
    );

  const column = dataTableColumns<TShiftReconciliation>();
  const columns = [
    column.accessor("openedAt", {
      id: "openedAt",
      header: t("opened"),
      cell: (c) => f.dateTime(c.getValue(), c.row.original.timezone),
    }),
    column.display({
      id: "till",
      header: t("till"),
      cell: ({ row }) => (
        <>
          {/* The shift's receipts, on the receipts search (the whole line: a link inside text needs more than colour). */}
          <Link
            href={`/receipts?terminalId=${encodeURIComponent(row.original.terminalId)}&shiftId=${encodeURIComponent(row.original.shiftId)}`}
          >
            {row.original.terminalName} · {t("number", { number: row.original.number })}
          </Link>
          <Muted block>{row.original.storeName}</Muted>
        </>
      ),
    }),
    column.accessor("cashierName", { header: t("cashier"), enableSorting: false }),
    column.accessor("expected", {
      header: t("expected"),
      enableSorting: false,
      meta: { numeric: true },
      cell: (c) => <span data-testid="cash-expected">{f.money(c.getValue())}</span>,
    }),
    column.accessor("counted", {
      header: t("counted"),
      enableSorting: false,
      meta: { numeric: true },
      cell: (c) => f.money(c.getValue()),
    }),
    column.accessor("variance", {
      id: "variance",
      header: t("variance"),
      meta: { numeric: true },
      cell: (c) => (
        <>
          <Variance value={c.getValue()} />
          <Muted block>{t("tolerance", { amount: f.money(c.row.original.tolerance) })}</Muted>
        </>
      ),
    }),
    column.display({
      id: "state",
      header: t("state"),
      cell: ({ row }) => {
        const s = row.original;
        return (
          <>
            <Badges>
              <Badge tone={STATE_TONE[s.state]} testId="cash-state">
                {s.state === "approved" ? (
                  <ShieldCheck size={13} aria-hidden />
                ) : s.state === "needs_approval" ? (
                  <CircleAlert size={13} aria-hidden />
                ) : s.state === "open" ? (
                  <Clock size={13} aria-hidden />
                ) : (
                  <CircleCheck size={13} aria-hidden />
                )}{" "}
                {states(s.state)}
              </Badge>
              {s.provisional && (
                <Badge tone="warn" testId="cash-provisional" title={t("provisionalHint")}>
                  <Hourglass size={13} aria-hidden /> {states("provisional")}
                </Badge>
              )}
            </Badges>
            {s.provisional && <MissingList shift={s} />}
            {s.state === "approved" && s.approval && (
              <Muted block>
                {t("approvedBy", {
                  name: s.approval.approvedByName,
                  at: f.dateTime(s.approval.approvedAt, s.timezone),
                })}
                {" — "}
                {s.approval.note}
              </Muted>
            )}
          </>
        );
      },
    }),
    column.display({
      id: "actions",
      header: t("actions"),
      cell: ({ row }) =>
        row.original.state === "needs_approval" && canApprove(row.original) ? (
          <button
            type="button"
            className={buttonClass.primary}
            disabled={row.original.provisional}
            title={row.original.provisional ? t("provisionalHint") : undefined}
            onClick={() => setApproving(row.original)}
          >
            {t("approve")}
          </button>
        ) : null,
    }),
  ];

  return (
    <section className={styles.section}>
      <div className={styles.toolbar}>
        <h2 className={styles.sectionTitle}>{t("title")}</h2>
        <Badges>
          {data.counts.needsApproval > 0 && (
            <Badge tone="danger">{t("needsApprovalCount", { count: data.counts.needsApproval })}</Badge>
          )}
          {data.counts.provisional > 0 && (
            <Badge tone="warn">{t("provisionalCount", { count: data.counts.provisional })}</Badge>
          )}
        </Badges>
      </div>
      <DataTable
        caption={t("caption", { from: data.dayFrom, to: data.dayTo })}
        columns={columns}
        data={data.shifts}
        getRowId={(s) => `${s.terminalId}/${s.shiftId}`}
        empty={t("empty")}
        testId="cash-shifts-table"
        sorting={{
          mode: "server",
          sort: search.sort ?? { id: "openedAt", desc: true },
          onSortChange: (sort) => {
            const id = CASH_SORT_COLUMNS.find((c) => c === sort.id);
            if (id) void setSearch({ sort: { id, desc: sort.desc }, page: 0 });
          },
        }}
        pagination={{
          kind: "page",
          pageIndex: data.page,
          pageCount: Math.max(1, Math.ceil(data.total / data.pageSize)),
          onPageChange: (page) => void setSearch({ page }),
        }}
      />
      {approving && <ApproveDialog shift={approving} onClose={() => setApproving(null)} />}
    </section>
  );
}

/** Approve-with-note: the note is required, and the server refuses a provisional shift. */
function ApproveDialog({ shift, onClose }: { shift: TShiftReconciliation; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("cash.approve");
  const f = useFormat();
  const approve = useMutation(
    trpc.dashboard.cash.approve.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.dashboard.cash.pathKey() });
        onClose();
      },
    }),
  );
  const error = approve.error
    ? isTRPCClientError(approve.error)
      ? (approve.error.data?.fieldErrors?.note?.[0] ?? approve.error.message)
      : t("failed")
    : null;
  return (
    <ConfirmDialog
      title={t("title", { terminal: shift.terminalName, number: shift.number })}
      onClose={onClose}
      onConfirm={(fields) =>
        approve.mutate({
          terminalId: shift.terminalId,
          shiftId: shift.shiftId,
          note: String(fields.get("note") ?? ""),
        })
      }
      confirmLabel={
        <>
          <ShieldCheck size={16} aria-hidden /> {t("submit")}
        </>
      }
      cancelLabel={t("cancel")}
      pending={approve.isPending}
      error={error}
      errorId="approve-error"
      testId="approve-dialog"
    >
      <p>
        {t("summary", {
          variance: f.money(shift.variance),
          expected: f.money(shift.expected),
          counted: f.money(shift.counted),
          tolerance: f.money(shift.tolerance),
        })}
      </p>
      <label>
        {t("note")}
        <textarea
          name="note"
          required
          minLength={3}
          maxLength={1000}
          placeholder={t("notePlaceholder")}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "approve-error" : undefined}
        />
      </label>
    </ConfirmDialog>
  );
}
