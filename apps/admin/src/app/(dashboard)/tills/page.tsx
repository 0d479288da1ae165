import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { loadTillsSearch, tillsListInput } from "./search-params.ts";
import { TillsFilters, TillsView } from "./tills-view.tsx";

export async function generateMetadata() {
  const t = await getTranslations("admin.tills");
  return { title: `${t("title")} · Kassa` };
}

export default async function TillsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("admin.tills");
  const search = await loadTillsSearch(searchParams);
  prefetch(trpc.dashboard.admin.tills.list.queryOptions(tillsListInput(search)));
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <TillsFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("caption")} columns={7} />}>
          <TillsView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
