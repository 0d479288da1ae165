"use client";

import type { TAdminStore } from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { DataTable, dataTableColumns, useUrlSort } from "~/components/data-table.tsx";
import { buttonClass, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import {
  AdminDialog,
  mutationError,
  adminStyles as styles,
  useOwnedOrganization,
} from "../_admin/admin-ui.tsx";

const SORTABLE = ["name", "timezone", "tills", "createdAt"] as const;

/** The browser's own IANA zone list, offered as suggestions (the server validates whatever is typed). */
function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

export function StoresView() {
  const trpc = useTRPC();
  const t = useTranslations("admin.stores");
  const format = useFormat();
  const common = useTranslations("common");
  const owned = useOwnedOrganization();
  const { data } = useSuspenseQuery(trpc.dashboard.admin.stores.list.queryOptions({}));
  const { sort, onSortChange } = useUrlSort(SORTABLE, { id: "name", desc: false });
  const [editing, setEditing] = useState<TAdminStore | "new" | null>(null);
  const columns = useMemo(() => {
    const column = dataTableColumns<TAdminStore>();
    return [
      column.accessor("name", { header: t("columns.name") }),
      column.accessor("timezone", { header: t("columns.timezone") }),
      column.accessor("address", {
        header: t("columns.address"),
        enableSorting: false,
        cell: (c) => c.getValue() ?? <Muted>{common("dash")}</Muted>,
      }),
      column.accessor("tills", { header: t("columns.tills"), meta: { numeric: true } }),
      column.accessor("createdAt", {
        header: t("columns.created"),
        cell: (c) => format.dateTime(c.getValue(), c.row.original.timezone),
      }),
      column.display({
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) =>
          row.original.organizationId === owned ? (
            <button type="button" className={buttonClass.ghost} onClick={() => setEditing(row.original)}>
              <Pencil size={14} aria-hidden /> {t("edit")}
            </button>
          ) : null,
      }),
    ];
  }, [t, format, owned, common]);
  return (
    <section className={styles.section}>
      <div className={styles.toolbar}>
        <span />
        {owned && (
          <button
            type="button"
            className={buttonClass.primary}
            onClick={() => setEditing("new")}
            data-testid="store-create"
          >
            <Plus size={16} aria-hidden /> {t("create")}
          </button>
        )}
      </div>
      <DataTable
        caption={t("caption")}
        columns={columns}
        data={data.stores}
        getRowId={(s) => `${s.organizationId}/${s.id}`}
        empty={t("empty")}
        sorting={{ mode: "client", sort, onSortChange }}
        testId="stores-table"
      />
      {editing && owned && (
        <StoreDialog
          organizationId={owned}
          store={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function StoreDialog({
  organizationId,
  store,
  onClose,
}: {
  organizationId: string;
  store: TAdminStore | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("admin.stores.form");
  const admin = useTranslations("admin");
  const done = {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
      onClose();
    },
  };
  const create = useMutation(trpc.dashboard.admin.stores.create.mutationOptions(done));
  const update = useMutation(trpc.dashboard.admin.stores.update.mutationOptions(done));
  const pending = create.isPending || update.isPending;
  const error = mutationError(create.error ?? update.error, admin("failed"));
  const zones = useMemo(timeZones, []);
  function onSubmit(form: FormData) {
    const name = String(form.get("name") ?? "");
    const timezone = String(form.get("timezone") ?? "");
    const address = String(form.get("address") ?? "").trim();
    if (store) {
      update.mutate({ organizationId, storeId: store.id, name, timezone, address: address || null });
    } else {
      create.mutate({ organizationId, name, timezone, ...(address ? { address } : {}) });
    }
  }
  return (
    <AdminDialog
      title={store ? t("editTitle", { name: store.name }) : t("createTitle")}
      onClose={onClose}
      onConfirm={onSubmit}
      confirmLabel={admin("save")}
      pending={pending}
      error={error}
      testId="store-dialog"
    >
      <label>
        {t("name")}
        <input name="name" required maxLength={120} defaultValue={store?.name ?? ""} />
      </label>
      <label>
        {t("timezone")}
        <input
          name="timezone"
          required
          list="store-timezones"
          defaultValue={store?.timezone ?? "Europe/Moscow"}
          autoComplete="off"
        />
        <datalist id="store-timezones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      <label>
        {t("address")}
        <textarea name="address" maxLength={500} defaultValue={store?.address ?? ""} />
        <span className={styles.hint}>{t("addressHint")}</span>
      </label>
    </AdminDialog>
  );
}
