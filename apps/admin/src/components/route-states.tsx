"use client";

import { isTRPCClientError } from "@trpc/client";
import { RotateCcw, TriangleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { startTransition, useEffect } from "react";
import styles from "./page.module.css";

/**
 * The body of every error.tsx: what failed, in the user's language, and a retry that refetches the
 * server's data too (router.refresh) before re-rendering the segment.
 */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common");
  const router = useRouter();
  useEffect(() => console.error(error), [error]);
  // A tRPC error carries the AppError code (NOT_FOUND, FORBIDDEN…); a server render failure only its digest.
  const code = isTRPCClientError(error) ? (error.data?.kassaCode ?? error.data?.code) : error.digest;
  return (
    <section className={styles.error} role="alert" data-testid="route-error">
      <TriangleAlert size={20} aria-hidden />
      <div>
        <h2 className={styles.noticeTitle}>{t("errorTitle")}</h2>
        <p>{isTRPCClientError(error) ? error.message : t("errorHint")}</p>
        {code && <p className={styles.code}>{t("errorCode", { code: String(code) })}</p>}
        <button
          type="button"
          className={styles.retry}
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          <RotateCcw size={15} aria-hidden /> {t("retry")}
        </button>
      </div>
    </section>
  );
}
