import { getTranslations } from "next-intl/server";
import { DataTableSkeleton } from "./data-table.tsx";
import styles from "./page.module.css";

/** The body of every loading.tsx: a title bar and a table frame, announced as loading. */
export async function PageSkeleton({ columns = 6 }: { columns?: number }) {
  const t = await getTranslations("common");
  return (
    <div aria-busy="true" data-testid="page-loading">
      <div className={styles.header}>
        <span className={styles.titleBone} />
        <span className={styles.srOnly} role="status">
          {t("loading")}
        </span>
      </div>
      <DataTableSkeleton caption={t("loading")} columns={columns} />
    </div>
  );
}
