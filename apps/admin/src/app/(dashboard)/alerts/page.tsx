import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { AlertsFilters, AlertsTable } from "./alerts-view.tsx";
import { ALERTS_REFRESH_MS, alertsListInput, loadAlertsSearch } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("alerts");
  return { title: `${t("title")} · Kassa` };
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("alerts");
  const { cursor, ...search } = await loadAlertsSearch(searchParams);
  prefetch(
    trpc.dashboard.alerts.list.queryOptions(alertsListInput(search, cursor), {
      refetchInterval: ALERTS_REFRESH_MS,
    }),
  );
  // The store filter's choices.
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")}>
        <Link href="/alerts/settings">{t("settings.link")}</Link>
      </PageHeader>
      <HydrateClient>
        <AlertsFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("table.caption")} columns={6} />}>
          <AlertsTable />
        </Suspense>
      </HydrateClient>
    </>
  );
}
