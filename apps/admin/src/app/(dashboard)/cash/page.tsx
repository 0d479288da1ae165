import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { CashDays, CashFilters, CashShifts } from "./cash-view.tsx";
import { cashFilter, cashShiftsInput, loadCashSearch } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("cash");
  return { title: `${t("title")} · Kassa` };
}

export default async function CashPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("cash");
  const search = await loadCashSearch(searchParams);
  prefetch(trpc.dashboard.cash.shifts.queryOptions(cashShiftsInput(search)));
  prefetch(trpc.dashboard.cash.days.queryOptions(cashFilter(search)));
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <CashFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("days.caption")} columns={8} rows={2} />}>
          <CashDays />
        </Suspense>
        <Suspense fallback={<DataTableSkeleton caption={t("shifts.caption")} columns={10} />}>
          <CashShifts />
        </Suspense>
      </HydrateClient>
    </>
  );
}
