import { getTranslations } from "next-intl/server";
import { createLoader, type SearchParams } from "nuqs/server";
import { receiptsListInput } from "~/app/(dashboard)/receipts/search-params.ts";
import { parseAsCursor } from "~/lib/table-search-params.ts";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import { TerminalView } from "./terminal-view.tsx";

export async function generateMetadata() {
  const t = await getTranslations("terminal");
  return { title: `${t("title")} · Kassa` };
}

const loadPage = createLoader({ cursor: parseAsCursor });

export default async function TerminalPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const terminalId = decodeURIComponent((await params).id);
  const { cursor } = await loadPage(searchParams);
  prefetch(trpc.dashboard.terminals.get.queryOptions({ terminalId }));
  prefetch(trpc.dashboard.receipts.list.queryOptions(receiptsListInput({ terminalId }, cursor)));
  return (
    <HydrateClient>
      <TerminalView terminalId={terminalId} />
    </HydrateClient>
  );
}
