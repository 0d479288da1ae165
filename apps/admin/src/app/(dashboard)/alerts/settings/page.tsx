import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { PageHeader } from "~/components/page-header.tsx";
import { BackLink } from "~/components/ui.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { AlertThresholdsSection } from "../alert-thresholds-section.tsx";

export async function generateMetadata() {
  const t = await getTranslations("alerts.settings");
  return { title: `${t("title")} · Kassa` };
}

/**
 * The alert thresholds on a page of their own, until the Organization settings page gives the
 * section its slot (it renders the same AlertThresholdsSection).
 */
export default async function AlertSettingsPage() {
  const t = await getTranslations("alerts");
  prefetch(trpc.dashboard.alerts.thresholds.get.queryOptions());
  return (
    <>
      <PageHeader title={t("settings.title")} back={<BackLink href="/alerts">{t("title")}</BackLink>} />
      <HydrateClient>
        <Suspense>
          <AlertThresholdsSection />
        </Suspense>
      </HydrateClient>
    </>
  );
}
