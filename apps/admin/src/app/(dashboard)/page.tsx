import { getTranslations } from "next-intl/server";
import { PageHeader } from "~/components/page-header.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { FleetTable } from "./fleet-table.tsx";

export async function generateMetadata() {
  const t = await getTranslations("fleet");
  return { title: `${t("title")} · Kassa` };
}

export default async function FleetPage() {
  const t = await getTranslations("fleet");
  // Rendered on the server with the fleet already in it; the client keeps it live from there.
  prefetch(trpc.dashboard.fleet.list.queryOptions());
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <HydrateClient>
        <FleetTable />
      </HydrateClient>
    </>
  );
}
