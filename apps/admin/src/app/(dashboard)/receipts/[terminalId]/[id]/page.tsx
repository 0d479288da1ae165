import { getTranslations } from "next-intl/server";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { ReceiptDetail } from "./receipt-detail.tsx";

export async function generateMetadata() {
  const t = await getTranslations("receipts.detail");
  return { title: `${t("title")} · Kassa` };
}

export default async function ReceiptPage({
  params,
}: {
  params: Promise<{ terminalId: string; id: string }>;
}) {
  const { terminalId, id } = await params;
  const input = { terminalId: decodeURIComponent(terminalId), receiptId: decodeURIComponent(id) };
  prefetch(trpc.dashboard.receipts.get.queryOptions(input));
  return (
    <HydrateClient>
      <ReceiptDetail terminalId={input.terminalId} receiptId={input.receiptId} />
    </HydrateClient>
  );
}
