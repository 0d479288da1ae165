"use client";

import type { TInviteMemberOutput, TMember, TPendingInvitation } from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Pencil, UserMinus, UserPlus, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { Dialog, DialogActions } from "~/components/confirm-dialog.tsx";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { Badge, buttonClass, Muted } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { AdminDialog, CopyField, mutationError, adminStyles as styles } from "../_admin/admin-ui.tsx";

const ROLES = ["owner", "manager", "support"] as const;
type Role = (typeof ROLES)[number];
// Times of people and links are the organization's, not a store's: shown in Moscow time like the DLQ log.
const TIME_ZONE = "Europe/Moscow";

type Acting =
  | { kind: "invite" }
  | { kind: "edit" | "remove"; member: TMember }
  | { kind: "link"; result: TInviteMemberOutput };

function useStoreNames() {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  return useMemo(() => new Map(me.stores.map((s) => [s.id, s.name])), [me.stores]);
}

function StoresCell({ storeIds }: { storeIds: string[] | null }) {
  const t = useTranslations("admin");
  const names = useStoreNames();
  if (storeIds === null) return <Muted>{t("allStores")}</Muted>;
  return <>{storeIds.map((id) => names.get(id) ?? id).join(", ")}</>;
}

export function PeopleView() {
  const trpc = useTRPC();
  const t = useTranslations("admin.people");
  const roles = useTranslations("admin.roles");
  const format = useFormat();
  const { data } = useSuspenseQuery(trpc.dashboard.admin.people.list.queryOptions({}));
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const [acting, setActing] = useState<Acting | null>(null);
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.dashboard.admin.people.revokeInvitation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() }),
    }),
  );
  const organizationId = data.organizationId;
  const members = useMemo(() => {
    const column = dataTableColumns<TMember>();
    return [
      column.accessor("name", {
        header: t("columns.name"),
        cell: ({ row }) => (
          <>
            {row.original.name}
            {row.original.userId === me.user.id && <Muted> ({t("you")})</Muted>}
          </>
        ),
      }),
      column.accessor("email", { header: t("columns.email") }),
      column.accessor("role", {
        header: t("columns.role"),
        cell: (c) => <Badge tone={c.getValue() === "owner" ? "ok" : "neutral"}>{roles(c.getValue())}</Badge>,
      }),
      column.accessor("storeIds", {
        header: t("columns.stores"),
        cell: (c) => <StoresCell storeIds={c.getValue()} />,
      }),
      column.accessor("createdAt", {
        header: t("columns.since"),
        cell: (c) => format.dateTime(c.getValue(), TIME_ZONE),
      }),
      column.display({
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) => (
          <div className={styles.actions}>
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => setActing({ kind: "edit", member: row.original })}
            >
              <Pencil size={14} aria-hidden /> {t("edit")}
            </button>
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => setActing({ kind: "remove", member: row.original })}
            >
              <UserMinus size={14} aria-hidden /> {t("remove")}
            </button>
          </div>
        ),
      }),
    ];
  }, [t, roles, format, me.user.id]);
  const invitations = useMemo(() => {
    const column = dataTableColumns<TPendingInvitation>();
    return [
      column.accessor("email", { header: t("columns.email") }),
      column.accessor("role", { header: t("columns.role"), cell: (c) => roles(c.getValue()) }),
      column.accessor("storeIds", {
        header: t("columns.stores"),
        cell: (c) => <StoresCell storeIds={c.getValue()} />,
      }),
      column.accessor("expiresAt", {
        header: t("columns.expires"),
        cell: ({ row }) => (
          <>
            {format.dateTime(row.original.expiresAt, TIME_ZONE)}
            {row.original.expired && <Badge tone="warn">{t("expired")}</Badge>}
          </>
        ),
      }),
      column.accessor("invitedBy", { header: t("columns.invitedBy") }),
      column.display({
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) => (
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={revoke.isPending}
            onClick={() => revoke.mutate({ organizationId, invitationId: row.original.id })}
          >
            <X size={14} aria-hidden /> {t("revoke")}
          </button>
        ),
      }),
    ];
  }, [t, roles, format, revoke, organizationId]);
  const close = () => setActing(null);
  return (
    <>
      <section className={styles.section}>
        <div className={styles.toolbar}>
          <h2 className={styles.sectionTitle}>{t("members.title")}</h2>
          <button
            type="button"
            className={buttonClass.primary}
            onClick={() => setActing({ kind: "invite" })}
            data-testid="person-invite"
          >
            <UserPlus size={16} aria-hidden /> {t("invite")}
          </button>
        </div>
        <DataTable
          caption={t("members.caption")}
          columns={members}
          data={data.members}
          getRowId={(m) => m.userId}
          empty={t("members.empty")}
          testId="members-table"
        />
      </section>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("invitations.title")}</h2>
        <DataTable
          caption={t("invitations.caption")}
          columns={invitations}
          data={data.invitations}
          getRowId={(i) => i.id}
          empty={t("invitations.empty")}
          testId="invitations-table"
        />
      </section>
      {acting?.kind === "invite" && (
        <MemberDialog
          organizationId={organizationId}
          member={null}
          onClose={close}
          onInvited={(result) => setActing({ kind: "link", result })}
        />
      )}
      {acting?.kind === "edit" && (
        <MemberDialog
          organizationId={organizationId}
          member={acting.member}
          onClose={close}
          onInvited={close}
        />
      )}
      {acting?.kind === "remove" && (
        <RemoveDialog organizationId={organizationId} member={acting.member} onClose={close} />
      )}
      {acting?.kind === "link" && <LinkDialog result={acting.result} onClose={close} />}
    </>
  );
}

/** Invite (member null) or change a member's role and stores: one form, the same scope rules. */
function MemberDialog({
  organizationId,
  member,
  onClose,
  onInvited,
}: {
  organizationId: string;
  member: TMember | null;
  onClose: () => void;
  onInvited: (result: TInviteMemberOutput) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("admin.people.form");
  const admin = useTranslations("admin");
  const roles = useTranslations("admin.roles");
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const stores = me.stores.filter((s) => s.organizationId === organizationId);
  const [role, setRole] = useState<Role>(member?.role ?? "manager");
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
  const invite = useMutation(
    trpc.dashboard.admin.people.invite.mutationOptions({
      onSuccess: async (result) => {
        await invalidate();
        onInvited(result);
      },
    }),
  );
  const update = useMutation(
    trpc.dashboard.admin.people.update.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  function onSubmit(form: FormData) {
    const storeIds = role === "owner" ? [] : form.getAll("storeIds").map(String);
    if (member) {
      update.mutate({ organizationId, userId: member.userId, role, storeIds });
    } else {
      invite.mutate({
        organizationId,
        email: String(form.get("email") ?? ""),
        name: String(form.get("name") ?? ""),
        role,
        storeIds,
      });
    }
  }
  const error = mutationError(invite.error ?? update.error, admin("failed"));
  return (
    <AdminDialog
      title={member ? t("editTitle", { name: member.name }) : t("inviteTitle")}
      onClose={onClose}
      onConfirm={onSubmit}
      confirmLabel={member ? t("submitEdit") : t("submitInvite")}
      pending={invite.isPending || update.isPending}
      error={error}
      testId="person-dialog"
    >
      {!member && (
        <>
          <label>
            {t("email")}
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            {t("name")}
            <input name="name" required maxLength={200} autoComplete="off" />
          </label>
        </>
      )}
      <label>
        {t("role")}
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roles(r)}
            </option>
          ))}
        </select>
      </label>
      {role !== "owner" && (
        <fieldset className={styles.checks}>
          <legend>{t("stores")}</legend>
          {stores.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                name="storeIds"
                value={s.id}
                defaultChecked={member?.storeIds?.includes(s.id) ?? false}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
      )}
      <span className={styles.hint}>{t("storesHint")}</span>
    </AdminDialog>
  );
}

function RemoveDialog({
  organizationId,
  member,
  onClose,
}: {
  organizationId: string;
  member: TMember;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("admin.people.removeConfirm");
  const admin = useTranslations("admin");
  const remove = useMutation(
    trpc.dashboard.admin.people.remove.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
        onClose();
      },
    }),
  );
  return (
    <AdminDialog
      title={t("title", { name: member.name })}
      onClose={onClose}
      onConfirm={() => remove.mutate({ organizationId, userId: member.userId })}
      confirmLabel={t("submit")}
      pending={remove.isPending}
      error={mutationError(remove.error, admin("failed"))}
      testId="person-remove-dialog"
    >
      <p>{t("body", { email: member.email })}</p>
    </AdminDialog>
  );
}

/** The one time a set-password link is shown. */
function LinkDialog({ result, onClose }: { result: TInviteMemberOutput; onClose: () => void }) {
  const t = useTranslations("admin.people.link");
  const admin = useTranslations("admin");
  const format = useFormat();
  const link = `${window.location.origin}${result.path}`;
  return (
    <Dialog
      title={t("title", { email: result.invitation.email })}
      onClose={onClose}
      testId="person-link-dialog"
    >
      <div className={styles.form}>
        <p className={styles.notice}>
          {t("once", {
            name: result.invitation.name,
            expires: format.dateTime(result.invitation.expiresAt, TIME_ZONE),
          })}
        </p>
        <CopyField label={t("label")} value={link} testId="person-link" />
        <DialogActions>
          <button type="button" className={buttonClass.primary} onClick={onClose}>
            {admin("close")}
          </button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
