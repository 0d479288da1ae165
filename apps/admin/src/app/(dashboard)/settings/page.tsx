import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { PageHeader } from "~/components/page-header.tsx";
import { PageSkeleton } from "~/components/page-skeleton.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { SETTINGS_SECTIONS } from "./sections.tsx";
import { GeneralSettings } from "./settings-view.tsx";

export async function generateMetadata() {
  const t = await getTranslations("admin.settings");
  return { title: `${t("title")} · Kassa` };
}

export default async function SettingsPage() {
  const t = await getTranslations("admin.settings");
  prefetch(trpc.dashboard.admin.settings.get.queryOptions({}));
  prefetch(trpc.dashboard.me.queryOptions());
  for (const section of SETTINGS_SECTIONS) section.prefetch?.();
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <Suspense fallback={<PageSkeleton />}>
          <GeneralSettings />
        </Suspense>
        {/* Other areas' sections (sections.tsx, the slot): the alert thresholds first. */}
        {SETTINGS_SECTIONS.map(({ id, Section }) => (
          <Suspense key={id} fallback={<PageSkeleton />}>
            <Section />
          </Suspense>
        ))}
      </HydrateClient>
    </>
  );
}
