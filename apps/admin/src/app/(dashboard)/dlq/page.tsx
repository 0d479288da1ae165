import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { DlqFilters, DlqTabs, DlqTabView } from "./dlq-view.tsx";
import { dlqFilter, dlqListInput, loadDlqSearch } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("dlq");
  return { title: `${t("title")} · Kassa` };
}

export default async function DlqPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("dlq");
  const { view, cursor, ...search } = await loadDlqSearch(searchParams);
  const filter = dlqFilter(search);
  if (view === "items") prefetch(trpc.dashboard.dlq.list.queryOptions(dlqListInput(filter, cursor)));
  if (view === "groups") prefetch(trpc.dashboard.dlq.groups.queryOptions(filter));
  if (view === "audit") prefetch(trpc.dashboard.dlq.actions.queryOptions({}));
  // The filters' choices (stores, terminals) and whether the user may act.
  prefetch(trpc.dashboard.me.queryOptions());
  prefetch(trpc.dashboard.fleet.list.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <DlqTabs />
        <DlqFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("items.caption")} columns={8} />}>
          <DlqTabView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
