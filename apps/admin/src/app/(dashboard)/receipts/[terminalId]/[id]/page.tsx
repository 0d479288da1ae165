import { ReceiptDetail } from "./receipt-detail.tsx";

export const metadata = { title: "Receipt · Kassa" };

export default async function ReceiptPage({
  params,
}: {
  params: Promise<{ terminalId: string; id: string }>;
}) {
  const { terminalId, id } = await params;
  return <ReceiptDetail terminalId={decodeURIComponent(terminalId)} receiptId={decodeURIComponent(id)} />;
}
