"use client";

import type { TAdminTill, TTillKeyOutput } from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Archive, KeyRound, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useMemo, useState } from "react";
import { Dialog, DialogActions } from "~/components/confirm-dialog.tsx";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { FilterBar, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter } from "~/components/scope-filters.tsx";
import { Badge, buttonClass, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import {
  AdminDialog,
  CopyField,
  mutationError,
  adminStyles as styles,
  useOwnedOrganization,
} from "../_admin/admin-ui.tsx";
import { TILL_SORT_COLUMNS, TILL_STATUSES, tillsListInput, tillsSearchParams } from "./search-params.ts";

/** Store and status filters; everything lives in the URL. */
export function TillsFilters() {
  const trpc = useTRPC();
  const t = useTranslations("admin.tills");
  const admin = useTranslations("admin");
  const [search, setSearch] = useQueryStates(tillsSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  return (
    <FilterBar
      label={t("filters.label")}
      state={search}
      applyLabel={t("filters.apply")}
      clearLabel={t("filters.clear")}
      onApply={(field) =>
        void setSearch({
          storeId: field("storeId"),
          status: TILL_STATUSES.find((s) => s === field("status")) ?? "active",
        })
      }
      onClear={() => void setSearch(null)}
    >
      <StoreFilter
        label={t("filters.store")}
        allLabel={admin("allStores")}
        stores={me.stores}
        value={search.storeId}
      />
      <FilterSelect
        label={t("filters.status")}
        name="status"
        defaultValue={search.status}
        options={TILL_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
      />
    </FilterBar>
  );
}

type Acting =
  | { kind: "provision" }
  | { kind: "rotate" | "retire"; till: TAdminTill }
  | { kind: "key"; result: TTillKeyOutput };

export function TillsView() {
  const trpc = useTRPC();
  const t = useTranslations("admin.tills");
  const common = useTranslations("common");
  const format = useFormat();
  const owned = useOwnedOrganization();
  const [search, setSearch] = useQueryStates(tillsSearchParams);
  const { data } = useSuspenseQuery(trpc.dashboard.admin.tills.list.queryOptions(tillsListInput(search)));
  const [acting, setActing] = useState<Acting | null>(null);
  const columns = useMemo(() => {
    const column = dataTableColumns<TAdminTill>();
    return [
      column.accessor("name", {
        header: t("columns.name"),
        cell: ({ row }) => (
          <>
            {row.original.name}
            <Muted block mono>
              {row.original.id}
            </Muted>
          </>
        ),
      }),
      column.accessor("storeName", { header: t("columns.store"), enableSorting: false }),
      column.accessor("status", {
        header: t("columns.status"),
        enableSorting: false,
        cell: ({ row }) =>
          row.original.status === "active" ? (
            <Badge tone="ok">{t("statuses.active")}</Badge>
          ) : (
            <>
              <Badge tone="neutral">{t("statuses.retired")}</Badge>
              {row.original.retiredAt && (
                <Muted block>
                  {t("retiredAt", { at: format.dateTime(row.original.retiredAt, row.original.timezone) })}
                </Muted>
              )}
            </>
          ),
      }),
      column.display({
        id: "register",
        header: t("columns.register"),
        cell: ({ row }) => {
          const r = row.original.register;
          if (!r.model && !r.fnNumber) return <Muted>{t("registerUnknown")}</Muted>;
          return (
            <span data-testid="till-register">
              {r.model ?? common("dash")}
              {r.fnNumber && (
                <Muted block mono>
                  {t("fn", { number: r.fnNumber })}
                </Muted>
              )}
            </span>
          );
        },
      }),
      column.accessor("lastSyncAt", {
        header: t("columns.lastContact"),
        cell: (c) => (
          <span data-testid="till-last-contact">
            {c.getValue() ? format.dateTime(c.getValue(), c.row.original.timezone) : common("never")}
          </span>
        ),
      }),
      column.accessor("keyRotatedAt", {
        header: t("columns.key"),
        enableSorting: false,
        cell: (c) => (
          <Muted>
            {c.getValue()
              ? t("keyRotated", { at: format.dateTime(c.getValue(), c.row.original.timezone) })
              : t("keyOriginal")}
          </Muted>
        ),
      }),
      column.display({
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) =>
          row.original.organizationId === owned && row.original.status === "active" ? (
            <div className={styles.actions}>
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => setActing({ kind: "rotate", till: row.original })}
                data-testid="till-rotate"
              >
                <KeyRound size={14} aria-hidden /> {t("rotate")}
              </button>
              <button
                type="button"
                className={buttonClass.ghost}
                onClick={() => setActing({ kind: "retire", till: row.original })}
                data-testid="till-retire"
              >
                <Archive size={14} aria-hidden /> {t("retire")}
              </button>
            </div>
          ) : null,
      }),
    ];
  }, [t, common, format, owned]);
  const close = () => setActing(null);
  return (
    <section className={styles.section}>
      <div className={styles.toolbar}>
        <span />
        {owned && (
          <button
            type="button"
            className={buttonClass.primary}
            onClick={() => setActing({ kind: "provision" })}
            data-testid="till-provision"
          >
            <Plus size={16} aria-hidden /> {t("provision")}
          </button>
        )}
      </div>
      <DataTable
        caption={t("caption")}
        columns={columns}
        data={data.tills}
        getRowId={(till) => till.id}
        empty={t("empty")}
        testId="tills-table"
        sorting={{
          mode: "server",
          sort: search.sort ?? { id: "name", desc: false },
          onSortChange: (sort) => {
            const id = TILL_SORT_COLUMNS.find((c) => c === sort.id);
            if (id) void setSearch({ sort: { id, desc: sort.desc } });
          },
        }}
      />
      {owned && acting?.kind === "provision" && (
        <ProvisionDialog
          organizationId={owned}
          onClose={close}
          onKey={(result) => setActing({ kind: "key", result })}
        />
      )}
      {owned && acting?.kind === "rotate" && (
        <RotateDialog
          organizationId={owned}
          till={acting.till}
          onClose={close}
          onKey={(result) => setActing({ kind: "key", result })}
        />
      )}
      {owned && acting?.kind === "retire" && (
        <RetireDialog organizationId={owned} till={acting.till} onClose={close} />
      )}
      {acting?.kind === "key" && <KeyDialog result={acting.result} onClose={close} />}
    </section>
  );
}

function useInvalidateDashboard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
}

/** The agent reaches the central server where the owner does: this page's own origin. */
const centralUrl = () => window.location.origin;

function ProvisionDialog({
  organizationId,
  onClose,
  onKey,
}: {
  organizationId: string;
  onClose: () => void;
  onKey: (result: TTillKeyOutput) => void;
}) {
  const trpc = useTRPC();
  const t = useTranslations("admin.tills.form");
  const admin = useTranslations("admin");
  const invalidate = useInvalidateDashboard();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const stores = me.stores.filter((s) => s.organizationId === organizationId);
  const provision = useMutation(
    trpc.dashboard.admin.tills.provision.mutationOptions({
      onSuccess: async (result) => {
        await invalidate();
        onKey(result);
      },
    }),
  );
  function onSubmit(form: FormData) {
    provision.mutate({
      organizationId,
      storeId: String(form.get("storeId") ?? ""),
      name: String(form.get("name") ?? ""),
      centralUrl: centralUrl(),
    });
  }
  return (
    <AdminDialog
      title={t("title")}
      onClose={onClose}
      onConfirm={onSubmit}
      confirmLabel={t("submit")}
      pending={provision.isPending}
      error={mutationError(provision.error, admin("failed"))}
      testId="till-provision-dialog"
    >
      <label>
        {t("store")}
        <select name="storeId" required>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("name")}
        <input name="name" required maxLength={120} />
      </label>
    </AdminDialog>
  );
}

function RotateDialog({
  organizationId,
  till,
  onClose,
  onKey,
}: {
  organizationId: string;
  till: TAdminTill;
  onClose: () => void;
  onKey: (result: TTillKeyOutput) => void;
}) {
  const trpc = useTRPC();
  const t = useTranslations("admin.tills.rotateConfirm");
  const admin = useTranslations("admin");
  const invalidate = useInvalidateDashboard();
  const rotate = useMutation(
    trpc.dashboard.admin.tills.rotateKey.mutationOptions({
      onSuccess: async (result) => {
        await invalidate();
        onKey(result);
      },
    }),
  );
  return (
    <AdminDialog
      title={t("title", { name: till.name })}
      onClose={onClose}
      onConfirm={() => rotate.mutate({ organizationId, terminalId: till.id, centralUrl: centralUrl() })}
      confirmLabel={t("submit")}
      pending={rotate.isPending}
      error={mutationError(rotate.error, admin("failed"))}
      testId="till-rotate-dialog"
    >
      <p>{t("body")}</p>
    </AdminDialog>
  );
}

function RetireDialog({
  organizationId,
  till,
  onClose,
}: {
  organizationId: string;
  till: TAdminTill;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const t = useTranslations("admin.tills.retireConfirm");
  const admin = useTranslations("admin");
  const invalidate = useInvalidateDashboard();
  const retire = useMutation(
    trpc.dashboard.admin.tills.retire.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  return (
    <AdminDialog
      title={t("title", { name: till.name })}
      onClose={onClose}
      onConfirm={() => retire.mutate({ organizationId, terminalId: till.id })}
      confirmLabel={t("submit")}
      pending={retire.isPending}
      error={mutationError(retire.error, admin("failed"))}
      testId="till-retire-dialog"
    >
      <p>{t("body")}</p>
    </AdminDialog>
  );
}

/** The one time a till's key is shown: the ready configuration and the key itself, each copyable. */
function KeyDialog({ result, onClose }: { result: TTillKeyOutput; onClose: () => void }) {
  const t = useTranslations("admin.tills.key");
  return (
    <Dialog title={t("title", { name: result.till.name })} onClose={onClose} testId="till-key-dialog">
      <div className={styles.form}>
        <p className={styles.notice}>{t("once")}</p>
        <CopyField label={t("configLabel")} value={result.config.text} multiline testId="till-config" />
        <CopyField label={t("keyLabel")} value={result.terminalKey} testId="till-key" />
        <p className={styles.hint}>{t("hint")}</p>
        <DialogActions>
          <button type="button" className={buttonClass.primary} onClick={onClose}>
            {t("done")}
          </button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
