"use client";

import { KeyRound } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { buttonClass } from "~/components/ui.tsx";
import { type SetPasswordState, setPasswordAction } from "./actions.ts";
import styles from "./set-password.module.css";

export function SetPasswordForm({
  token,
  askPassword,
  email,
}: {
  token: string;
  askPassword: boolean;
  email: string;
}) {
  const t = useTranslations("admin.setPassword");
  const admin = useTranslations("admin");
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPasswordAction, {});
  if (state.done) {
    return (
      <div className={styles.form}>
        <p className={styles.done} role="status" data-testid="set-password-done">
          {t("done", { email: state.done.email })}
        </p>
        <Link className={buttonClass.primary} href={`/login?email=${encodeURIComponent(state.done.email)}`}>
          {t("toLogin")}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className={styles.form}>
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {askPassword && (
        <>
          <label>
            {t("password")}
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              maxLength={1024}
            />
            <span className={styles.hint}>{t("passwordHint")}</span>
          </label>
          <label>
            {t("confirm")}
            <input
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              maxLength={1024}
            />
          </label>
        </>
      )}
      {state.error && (
        <p className={styles.error} role="alert">
          {state.error === "failed" ? admin("failed") : t(state.error)}
        </p>
      )}
      <button
        type="submit"
        className={buttonClass.primary}
        disabled={pending}
        data-testid="set-password-submit"
      >
        <KeyRound size={16} aria-hidden /> {pending ? t("submitting") : askPassword ? t("submit") : t("join")}
      </button>
    </form>
  );
}
