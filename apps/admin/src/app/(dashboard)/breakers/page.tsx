import { getTranslations } from "next-intl/server";
import { ComingSoon } from "~/components/coming-soon.tsx";

export async function generateMetadata() {
  const t = await getTranslations("breakers");
  return { title: `${t("title")} · Kassa` };
}

// A real route from the start (nothing in the navigation is a 404); its page is built on DataTable.
export default function Page() {
  return <ComingSoon namespace="breakers" />;
}
