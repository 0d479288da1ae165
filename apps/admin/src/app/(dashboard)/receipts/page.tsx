import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { ReceiptFilters, ReceiptSearchResults } from "./receipt-search.tsx";
import { loadReceiptSearch, receiptsFilter, receiptsListInput } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("receipts");
  return { title: `${t("title")} · Kassa` };
}

export default async function ReceiptsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("receipts");
  const search = await loadReceiptSearch(searchParams);
  prefetch(
    trpc.dashboard.receipts.list.queryOptions(receiptsListInput(receiptsFilter(search), search.cursor)),
  );
  // The filter's choices (stores, terminals).
  prefetch(trpc.dashboard.me.queryOptions());
  prefetch(trpc.dashboard.fleet.list.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <ReceiptFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("caption")} columns={8} />}>
          <ReceiptSearchResults />
        </Suspense>
      </HydrateClient>
    </>
  );
}
