import type { TGetBreakerFleetInput } from "@kassa/api/central/dashboard";
import {
  createLoader,
  type inferParserType,
  parseAsInteger,
  parseAsIsoDateTime,
  parseAsString,
  parseAsStringLiteral,
} from "nuqs/server";

// The breakers page's state in the URL (server prefetch and browser read the same).

export const BREAKER_RANGES = ["1h", "6h", "24h", "7d"] as const;
export type BreakerRange = (typeof BREAKER_RANGES)[number];
const RANGE_MS: Record<BreakerRange, number> = {
  "1h": 3600_000,
  "6h": 6 * 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
};
export const DESTINATIONS = ["central", "ofd"] as const;

export const breakerSearchParams = {
  range: parseAsStringLiteral(BREAKER_RANGES).withDefault("24h"),
  /** The window's end; absent = now, rounded up to 5 minutes so the server's prefetch and the browser agree. */
  end: parseAsIsoDateTime,
  destination: parseAsStringLiteral(DESTINATIONS),
  storeId: parseAsString,
  /** A till: its own timeline instead of the fleet view. */
  terminalId: parseAsString,
  /**
   * The fleet view's pages of incidents and of lanes (useUrlClientPages reads them by these keys):
   * here so that applying or clearing the filters starts both lists on their first page again.
   */
  incidents: parseAsInteger,
  lanes: parseAsInteger,
};
export type BreakerSearch = inferParserType<typeof breakerSearchParams>;
export const loadBreakerSearch = createLoader(breakerSearchParams);

const ROUND_MS = 5 * 60_000;

export function breakerWindow(search: BreakerSearch, now: number = Date.now()): { from: Date; to: Date } {
  const to = search.end ?? new Date(Math.ceil(now / ROUND_MS) * ROUND_MS);
  return { from: new Date(to.getTime() - RANGE_MS[search.range]), to };
}

export function breakerFleetInput(search: BreakerSearch): TGetBreakerFleetInput {
  return {
    ...breakerWindow(search),
    ...(search.destination ? { destination: search.destination } : {}),
    ...(search.storeId ? { storeId: search.storeId } : {}),
  };
}

export function breakerTimelineInput(search: BreakerSearch & { terminalId: string }) {
  return {
    ...breakerWindow(search),
    terminalId: search.terminalId,
    ...(search.destination ? { destination: search.destination } : {}),
  };
}
