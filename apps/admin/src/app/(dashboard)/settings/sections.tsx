import type { ComponentType } from "react";
import { prefetch, trpc } from "~/trpc/server.tsx";
import { AlertThresholdsSection } from "../alerts/alert-thresholds-section.tsx";

/** One section another area adds to the organization settings page. */
export interface SettingsSection {
  id: string;
  /** Renders one `<section>`; a client component reads its data with useSuspenseQuery. */
  Section: ComponentType;
  /** Server-side: the queries the section reads, prefetched so its first paint has data. */
  prefetch?: () => void;
}

/**
 * THE SLOT for other areas' settings: the sections the organization settings page renders after its
 * own (cash tolerance and default language), in this order, each in its own Suspense boundary. An
 * area adds an entry here and nothing else on the page changes. The alert thresholds (issue 11) are
 * the first.
 */
export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  {
    id: "alert-thresholds",
    Section: AlertThresholdsSection,
    prefetch: () => prefetch(trpc.dashboard.alerts.thresholds.get.queryOptions()),
  },
];
