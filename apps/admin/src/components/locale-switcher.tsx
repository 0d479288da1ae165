"use client";

import { Languages } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useTransition } from "react";
import { setLocaleAction } from "~/i18n/actions.ts";
import { LOCALES, type Locale } from "~/i18n/locales.ts";
import styles from "./app-shell.module.css";

/** Sets the `kassa-locale` cookie and re-renders the page in the chosen language (URLs stay the same). */
export function LocaleSwitcher({ locale }: { locale: Locale }) {
  const t = useTranslations("common");
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  return (
    <div className={styles.locale}>
      <label htmlFor={id} className={styles.localeLabel}>
        <Languages size={14} aria-hidden /> {t("language")}
      </label>
      <select
        id={id}
        className={styles.localeSelect}
        value={locale}
        disabled={pending}
        data-testid="locale-switcher"
        onChange={(event) => {
          const next = event.target.value;
          startTransition(async () => {
            await setLocaleAction(next);
            router.refresh();
          });
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {t("localeName", { locale: option })}
          </option>
        ))}
      </select>
    </div>
  );
}
