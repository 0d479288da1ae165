"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { Check, Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { type ComponentProps, useId, useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog.tsx";
import { buttonClass } from "~/components/ui.tsx";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./admin.module.css";

// The few pieces the admin pages share: who may change things, their dialogs, error text, and a
// copy-once field for secrets (a till's key, a set-password link).

/**
 * The organization the signed-in user owns (the first, by id), or null: admin buttons show only
 * where the server would allow them. The server decides either way (permissions.ts).
 */
export function useOwnedOrganization(): string | null {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  return me.memberships.find((m) => m.role === "owner")?.organizationId ?? null;
}

/**
 * The message a failed mutation shows: the named field's own; for a refusal by the input schema
 * (formatKassaError's "The request is invalid: see fieldErrors.", which says nothing to a person)
 * the first field's message; else the server's typed AppError message; else a generic one.
 */
export function mutationError(error: unknown, fallback: string, field?: string): string | null {
  if (!error) return null;
  if (isTRPCClientError(error)) {
    const fieldErrors =
      (error.data as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};
    const named = field ? fieldErrors[field]?.[0] : undefined;
    const schemaRefusal = error.message.startsWith("The request is invalid");
    return named ?? (schemaRefusal ? Object.values(fieldErrors).flat()[0] : undefined) ?? error.message;
  }
  return fallback;
}

/**
 * The admin pages' form and confirm dialogs: ConfirmDialog with their Cancel, and "Saving…" on
 * the submit button while the change runs.
 */
export function AdminDialog(
  props: Omit<ComponentProps<typeof ConfirmDialog>, "cancelLabel" | "pendingLabel">,
) {
  const t = useTranslations("admin");
  return <ConfirmDialog cancelLabel={t("cancel")} pendingLabel={t("saving")} {...props} />;
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className={styles.error} role="alert">
      {message}
    </p>
  );
}

/** A read-only secret with a Copy button: shown once, so copying must be one click. */
export function CopyField({
  label,
  value,
  multiline,
  testId,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  testId?: string;
}) {
  const t = useTranslations("admin");
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className={styles.form}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} className={styles.secret} readOnly value={value} data-testid={testId} />
      ) : (
        <input
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
      <div>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? <Check size={16} aria-hidden /> : <Copy size={16} aria-hidden />}{" "}
          {copied ? t("copied") : t("copy")}
        </button>
      </div>
    </div>
  );
}

export { styles as adminStyles };
