import { Construction } from "lucide-react";
import { getTranslations } from "next-intl/server";
import styles from "./page.module.css";
import { PageHeader } from "./page-header.tsx";

/** A section that is a real route already but not built yet (DLQ, Breakers, Cash in this release). */
export async function ComingSoon({ namespace }: { namespace: "dlq" | "breakers" | "cash" }) {
  const t = await getTranslations(namespace);
  const common = await getTranslations("common");
  return (
    <>
      <PageHeader title={t("title")} intro={t("intro")} />
      <section className={styles.notice} data-testid="coming-soon">
        <Construction size={20} aria-hidden />
        <div>
          <h2 className={styles.noticeTitle}>{common("comingSoonTitle")}</h2>
          <p>{common("comingSoonBody")}</p>
        </div>
      </section>
    </>
  );
}
