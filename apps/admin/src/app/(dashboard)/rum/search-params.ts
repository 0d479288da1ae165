import type { TGetRumMetricInput, TGetRumOverviewInput } from "@kassa/api/central/dashboard";
import {
  createLoader,
  type inferParserType,
  parseAsIsoDateTime,
  parseAsString,
  parseAsStringLiteral,
} from "nuqs/server";

// The RUM page's state in the URL (server prefetch and browser read the same).

export const RUM_RANGES = ["24h", "7d", "30d", "90d"] as const;
export type RumRange = (typeof RUM_RANGES)[number];
const RANGE_MS: Record<RumRange, number> = {
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  "30d": 30 * 24 * 3600_000,
  "90d": 90 * 24 * 3600_000,
};
/** Shown first: the dashboard's own LCP exists as soon as anyone has opened the dashboard. */
export const DEFAULT_METRIC = "web_vital.LCP";

export const rumSearchParams = {
  range: parseAsStringLiteral(RUM_RANGES).withDefault("24h"),
  metric: parseAsString.withDefault(DEFAULT_METRIC),
  /** The window's end; absent = now, rounded up to the hour so the server's prefetch and the browser agree. */
  end: parseAsIsoDateTime,
  storeId: parseAsString,
  terminalId: parseAsString,
};
export type RumSearch = inferParserType<typeof rumSearchParams>;
export const loadRumSearch = createLoader(rumSearchParams);

const ROUND_MS = 3600_000;

export function rumWindow(search: RumSearch, now: number = Date.now()): { from: Date; to: Date } {
  const to = search.end ?? new Date(Math.ceil(now / ROUND_MS) * ROUND_MS);
  return { from: new Date(to.getTime() - RANGE_MS[search.range]), to };
}

export function rumOverviewInput(search: RumSearch): TGetRumOverviewInput {
  return {
    ...rumWindow(search),
    ...(search.storeId ? { storeId: search.storeId } : {}),
    ...(search.terminalId ? { terminalId: search.terminalId } : {}),
  };
}

export function rumMetricInput(search: RumSearch): TGetRumMetricInput {
  return { ...rumOverviewInput(search), metric: search.metric };
}
