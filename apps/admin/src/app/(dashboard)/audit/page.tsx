import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { AuditFilters, AuditLog } from "./audit-view.tsx";
import { auditListInput, loadAuditSearch } from "./search-params.ts";

export async function generateMetadata() {
  const t = await getTranslations("admin.audit");
  return { title: `${t("title")} · Kassa` };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const t = await getTranslations("admin.audit");
  prefetch(trpc.dashboard.admin.audit.list.queryOptions(auditListInput(await loadAuditSearch(searchParams))));
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <AuditFilters />
        <Suspense fallback={<DataTableSkeleton caption={t("caption")} columns={5} />}>
          <AuditLog />
        </Suspense>
      </HydrateClient>
    </>
  );
}
