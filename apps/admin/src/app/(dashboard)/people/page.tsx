import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { DataTableSkeleton } from "~/components/data-table.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { PeopleView } from "./people-view.tsx";

export async function generateMetadata() {
  const t = await getTranslations("admin.people");
  return { title: `${t("title")} · Kassa` };
}

export default async function PeoplePage() {
  const t = await getTranslations("admin.people");
  prefetch(trpc.dashboard.admin.people.list.queryOptions({}));
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <Suspense fallback={<DataTableSkeleton caption={t("members.caption")} columns={6} />}>
          <PeopleView />
        </Suspense>
      </HydrateClient>
    </>
  );
}
