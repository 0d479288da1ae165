import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { StoresView } from "./stores-view.tsx";

export async function generateMetadata() {
  const t = await getTranslations("admin.stores");
  return { title: `${t("title")} · Kassa` };
}

export default async function StoresPage() {
  const t = await getTranslations("admin.stores");
  prefetch(trpc.dashboard.admin.stores.list.queryOptions({}));
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <Suspense fallback={<DataTableSkeleton caption={t("caption")} columns={6} />}>
          <StoresView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
