"use client";

import type { TAlertThresholds, TGetAlertThresholdsOutput } from "@kassa/api/central/dashboard";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { buttonClass, Card, Muted } from "~/components/ui.tsx";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./alerts.module.css";

/** The fields in the order the form shows them (every key of the thresholds, checked by the type). */
const FIELDS = [
  "tillSilentMinutes",
  "syncLatencySeconds",
  "bufferFillPercent",
  "breakerOpenMinutes",
  "fnUnsentDays",
  "clockSkewSeconds",
  "dlqGrowthItems",
  "dlqGrowthWindowMinutes",
] as const satisfies readonly (keyof TAlertThresholds)[];

type Organization = TGetAlertThresholdsOutput["organizations"][number];

/**
 * The Organization settings page's Alerts section: each organization's thresholds, editable by its
 * owners (the server decides; others see them read-only). Saved as a whole; a refused value is
 * shown beside its field and nothing is changed.
 */
export function AlertThresholdsSection() {
  const trpc = useTRPC();
  const t = useTranslations("alerts.settings");
  const { data } = useSuspenseQuery(trpc.dashboard.alerts.thresholds.get.queryOptions());
  return (
    <section aria-labelledby="alert-thresholds-title" data-testid="alert-thresholds">
      <h2 id="alert-thresholds-title">{t("title")}</h2>
      <p>
        <Muted>{t("intro")}</Muted>
      </p>
      {data.organizations.map((organization) => (
        <ThresholdsForm
          key={organization.organizationId}
          organization={organization}
          defaults={data.defaults}
        />
      ))}
    </section>
  );
}

function ThresholdsForm({
  organization,
  defaults,
}: {
  organization: Organization;
  defaults: TAlertThresholds;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("alerts.settings");
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.dashboard.alerts.thresholds.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.dashboard.alerts.thresholds.get.queryKey() });
      },
    }),
  );
  const fieldErrors = isTRPCClientError(update.error) ? update.error.data?.fieldErrors : undefined;
  const errorOf = (field: string) => fieldErrors?.[`thresholds.${field}`]?.[0] ?? fieldErrors?.[field]?.[0];
  const readOnly = !organization.canConfigure;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const thresholds = Object.fromEntries(
      FIELDS.map((field) => [field, Number(String(form.get(field) ?? "").replace(",", "."))]),
    ) as TAlertThresholds;
    update.mutate({ organizationId: organization.organizationId, thresholds });
  }

  return (
    <Card title={organization.organizationName}>
      <form className={styles.form} onSubmit={onSubmit} aria-label={organization.organizationName}>
        {FIELDS.map((field) => {
          const error = errorOf(field);
          return (
            <label key={field}>
              {t(`fields.${field}`)}
              <input
                name={field}
                type="number"
                inputMode="numeric"
                step={1}
                defaultValue={organization.thresholds[field]}
                disabled={readOnly}
                aria-invalid={error ? true : undefined}
                data-testid={`threshold-${field}`}
              />
              <span className={styles.hint}>{t("default", { value: defaults[field] })}</span>
              {error && <span className={styles.error}>{error}</span>}
            </label>
          );
        })}
        <div className={styles.actions}>
          {readOnly ? (
            <Muted>{t("readOnly")}</Muted>
          ) : (
            <button type="submit" className={buttonClass.primary} disabled={update.isPending}>
              {t("save")}
            </button>
          )}
          <span role="status" data-testid="alert-thresholds-status">
            {saved ? t("saved") : update.error && !fieldErrors ? update.error.message : null}
          </span>
        </div>
      </form>
    </Card>
  );
}
