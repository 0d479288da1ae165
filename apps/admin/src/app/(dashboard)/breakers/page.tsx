import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { BreakerFilters, BreakerView } from "./breakers-view.tsx";
import { breakerFleetInput, breakerTimelineInput, loadBreakerSearch } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("breakers");
  return { title: `${t("title")} · Kassa` };
}

export default async function BreakersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("breakers");
  const search = await loadBreakerSearch(searchParams);
  const { terminalId } = search;
  if (terminalId)
    prefetch(trpc.dashboard.breakers.timeline.queryOptions(breakerTimelineInput({ ...search, terminalId })));
  else prefetch(trpc.dashboard.breakers.fleet.queryOptions(breakerFleetInput(search)));
  prefetch(trpc.dashboard.me.queryOptions());
  prefetch(trpc.dashboard.fleet.list.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <BreakerFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("incidents.caption")} columns={5} rows={3} />}>
          <BreakerView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
