"use client";

import { LogIn } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { authStyles } from "~/components/auth-card.tsx";
import { buttonClass } from "~/components/ui.tsx";
import { type SignInState, signInAction } from "./actions.ts";
import styles from "./login.module.css";

export function LoginForm() {
  const t = useTranslations("login");
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className={authStyles.form} noValidate>
      <label>
        {t("email")}
        <input
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={state.email}
          required
          aria-invalid={state.fieldErrors?.includes("email") || undefined}
        />
        {state.fieldErrors?.includes("email") && (
          <span className={styles.fieldError}>{t("emailInvalid")}</span>
        )}
      </label>
      <label>
        {t("password")}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.fieldErrors?.includes("password") || undefined}
        />
        {state.fieldErrors?.includes("password") && (
          <span className={styles.fieldError}>{t("passwordRequired")}</span>
        )}
      </label>
      {state.error && (
        <p className={authStyles.error} role="alert">
          {state.error === "throttled"
            ? t("throttled", waitParts(state.retryAfterSeconds ?? 60))
            : t(state.error)}
        </p>
      )}
      <button type="submit" className={`${buttonClass.primary} ${styles.submit}`} disabled={pending}>
        <LogIn size={16} aria-hidden /> {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}

/** The wait as whole minutes, or seconds under a minute and a half (the message picks the unit). */
function waitParts(seconds: number): { unit: "minutes" | "seconds"; count: number } {
  return seconds < 90
    ? { unit: "seconds", count: seconds }
    : { unit: "minutes", count: Math.ceil(seconds / 60) };
}
