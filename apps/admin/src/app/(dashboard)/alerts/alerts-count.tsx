"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./alerts.module.css";
import { ALERTS_REFRESH_MS } from "./search-params.ts";

/**
 * The shell's count of firing alerts (the user's stores), beside the Alerts link on every page.
 * Polled, not suspended: the navigation never waits for it, and nothing shows while it is zero.
 */
export function AlertsCount() {
  const trpc = useTRPC();
  const t = useTranslations("alerts");
  const { data } = useQuery(
    trpc.dashboard.alerts.count.queryOptions(undefined, { refetchInterval: ALERTS_REFRESH_MS }),
  );
  if (!data || data.firing === 0) return null;
  return (
    <span className={styles.badge} data-testid="alerts-count">
      <span aria-hidden>{data.firing}</span>
      <span className={styles.srOnly}>{t("badge", { count: data.firing })}</span>
    </span>
  );
}
