import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { RumFilters, RumView } from "./rum-view.tsx";
import { loadRumSearch, rumMetricInput, rumOverviewInput } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("rum");
  return { title: `${t("title")} · Kassa` };
}

export default async function RumPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("rum");
  const search = await loadRumSearch(searchParams);
  prefetch(trpc.dashboard.rum.overview.queryOptions(rumOverviewInput(search)));
  prefetch(trpc.dashboard.rum.metric.queryOptions(rumMetricInput(search)));
  prefetch(trpc.dashboard.me.queryOptions());
  prefetch(trpc.dashboard.fleet.list.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <RumFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("metrics.caption")} columns={5} rows={5} />}>
          <RumView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
