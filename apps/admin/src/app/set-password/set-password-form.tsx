"use client";

import { KeyRound } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { authStyles } from "~/components/auth-card.tsx";
import { buttonClass } from "~/components/ui.tsx";
import { type SetPasswordState, setPasswordAction } from "./actions.ts";
import styles from "./set-password.module.css";

/** The wait as whole minutes, or seconds under a minute and a half (login.throttled picks the unit). */
function waitParts(seconds: number): { unit: "minutes" | "seconds"; count: number } {
  return seconds < 90
    ? { unit: "seconds", count: seconds }
    : { unit: "minutes", count: Math.ceil(seconds / 60) };
}

export function SetPasswordForm({ token, email }: { token: string; email: string }) {
  const t = useTranslations("admin.setPassword");
  const admin = useTranslations("admin");
  const login = useTranslations("login");
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPasswordAction, {});
  // The person's own choice until the server has answered whether the email has an account.
  const [saysExisting, setSaysExisting] = useState(false);
  const existing = state.existingAccount ?? saysExisting;
  if (state.done) {
    return (
      <div className={authStyles.form}>
        <p className={styles.done} role="status" data-testid="set-password-done">
          {t(state.done.joined ? "joined" : "done", { email: state.done.email })}
        </p>
        <Link className={buttonClass.primary} href={`/login?email=${encodeURIComponent(state.done.email)}`}>
          {t("toLogin")}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className={authStyles.form}>
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {existing ? (
        <>
          <p className={styles.hint}>{t("existingIntro", { email })}</p>
          <label>
            {t("currentPassword")}
            <input
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              maxLength={1024}
              data-testid="set-password-current"
            />
          </label>
        </>
      ) : (
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
        <p className={authStyles.error} role="alert" data-testid="set-password-error">
          {state.error === "failed"
            ? admin("failed")
            : state.error === "throttled"
              ? login("throttled", waitParts(state.retryAfterSeconds ?? 60))
              : t(state.error)}
        </p>
      )}
      <button
        type="submit"
        className={buttonClass.primary}
        disabled={pending}
        data-testid="set-password-submit"
      >
        <KeyRound size={16} aria-hidden /> {pending ? t("submitting") : existing ? t("join") : t("submit")}
      </button>
      {state.existingAccount === undefined && (
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => setSaysExisting(!saysExisting)}
          data-testid="set-password-mode"
        >
          {saysExisting ? t("newAccount") : t("haveAccount")}
        </button>
      )}
    </form>
  );
}
