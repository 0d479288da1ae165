"use client";

import type { TGetRumMetricOutput } from "@kassa/api/central/dashboard";
import { useTranslations } from "next-intl";

/**
 * The offline bands' legend text: every period in the window and the tills they are on (the
 * server's totals, not the drawn bands, which are merged and capped), and that only the newest
 * bands are drawn when there were more than the server returns.
 */
export function OfflineLegend({
  offline,
  totals,
}: {
  offline: readonly unknown[];
  totals: TGetRumMetricOutput["offlineTotals"];
}) {
  const t = useTranslations("rum.series");
  const summary = t("offline", { periods: totals.periods, tills: totals.tills });
  return totals.bands > offline.length
    ? `${summary} (${t("offlineCapped", { shown: offline.length, bands: totals.bands })})`
    : summary;
}
