"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Save } from "lucide-react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { buttonClass } from "~/components/ui.tsx";
import { useTRPC } from "~/trpc/react.tsx";
import {
  FormError,
  mutationError,
  adminStyles as styles,
  useOwnedOrganization,
} from "../_admin/admin-ui.tsx";
import { parseRubles, rublesText } from "./rubles.ts";

const LOCALES = ["en", "ru"] as const;

/** Cash tolerance (used by cash reconciliation) and the default language; owners change, managers read. */
export function GeneralSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("admin.settings");
  const admin = useTranslations("admin");
  const common = useTranslations("common");
  const owned = useOwnedOrganization();
  const { data } = useSuspenseQuery(trpc.dashboard.admin.settings.get.queryOptions({}));
  const canChange = owned === data.organizationId;
  const [amountError, setAmountError] = useState<string | null>(null);
  const update = useMutation(
    trpc.dashboard.admin.settings.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() }),
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cashTolerance = parseRubles(String(form.get("cashTolerance") ?? ""));
    if (cashTolerance === null) {
      setAmountError(t("invalidAmount"));
      return;
    }
    setAmountError(null);
    const defaultLocale = LOCALES.find((l) => l === form.get("defaultLocale")) ?? data.defaultLocale;
    update.mutate({
      organizationId: data.organizationId,
      ...(cashTolerance !== data.cashTolerance ? { cashTolerance } : {}),
      ...(defaultLocale !== data.defaultLocale ? { defaultLocale } : {}),
    });
  }
  return (
    <section className={styles.settings} aria-labelledby="settings-general">
      <h2 id="settings-general" className={styles.sectionTitle}>
        {t("general")}
      </h2>
      <form key={`${data.cashTolerance}/${data.defaultLocale}`} className={styles.form} onSubmit={onSubmit}>
        <fieldset disabled={!canChange} className={styles.form}>
          <label>
            {t("cashTolerance")}
            <input
              name="cashTolerance"
              inputMode="decimal"
              defaultValue={rublesText(data.cashTolerance)}
              aria-invalid={amountError ? true : undefined}
              data-testid="settings-cash-tolerance"
            />
            <span className={styles.hint}>{t("cashToleranceHint")}</span>
          </label>
          <label>
            {t("defaultLocale")}
            <select name="defaultLocale" defaultValue={data.defaultLocale} data-testid="settings-locale">
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {common("localeName", { locale: l })}
                </option>
              ))}
            </select>
            <span className={styles.hint}>{t("defaultLocaleHint")}</span>
          </label>
        </fieldset>
        {!canChange && <p className={styles.hint}>{admin("ownerOnly")}</p>}
        <FormError message={amountError ?? mutationError(update.error, admin("failed"))} />
        {update.isSuccess && !update.isPending && (
          <p className={styles.saved} role="status">
            {t("saved")}
          </p>
        )}
        {canChange && (
          <div>
            <button type="submit" className={buttonClass.primary} disabled={update.isPending}>
              <Save size={16} aria-hidden /> {update.isPending ? admin("saving") : admin("save")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
