import { getTranslations } from "next-intl/server";
import { PageHeader } from "~/components/page-header.tsx";
import { BackLink } from "~/components/ui.tsx";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { DlqItemDetail } from "./dlq-item-detail.tsx";

export async function generateMetadata() {
  const t = await getTranslations("dlq");
  return { title: `${t("detail.title")} · Kassa` };
}

export default async function DlqItemPage({
  params,
}: {
  params: Promise<{ terminalId: string; id: string }>;
}) {
  const t = await getTranslations("dlq");
  const { terminalId, id } = await params;
  const key = { terminalId, id: decodeURIComponent(id) };
  prefetch(trpc.dashboard.dlq.get.queryOptions(key));
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <>
      <PageHeader title={t("detail.title")} back={<BackLink href="/dlq">{t("detail.back")}</BackLink>} />
      <HydrateClient>
        <DlqItemDetail itemKey={key} />
      </HydrateClient>
    </>
  );
}
