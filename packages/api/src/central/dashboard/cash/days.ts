import { z } from "zod";

/** A calendar day in a store's own time zone, "YYYY-MM-DD". */
export const ZDay = z.iso.date();

export const MAX_DAYS = 31;
const DAY_MS = 24 * 3600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Days already worked out, per zone and quarter hour: every zone's offset is a whole number of
 * quarter hours, so a local midnight never falls inside one and the whole quarter has one day.
 * A chain's week is thousands of shifts opened in a few hundred quarters; formatting each cost
 * more than reading it. Cleared when it grows (a long-running server sees ever new quarters).
 */
const QUARTER_MS = 15 * 60_000;
const days = new Map<string, string>();

/** The store-local calendar day of an instant; an unknown zone name counts as UTC rather than failing the page. */
export function dayIn(timezone: string, at: Date): string {
  const key = `${timezone}|${Math.floor(at.getTime() / QUARTER_MS)}`;
  const known = days.get(key);
  if (known !== undefined) return known;
  if (days.size >= 100_000) days.clear();
  const day = formatDay(timezone, at);
  days.set(key, day);
  return day;
}

function formatDay(timezone: string, at: Date): string {
  let f = formatters.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-CA", {
        timeZone: timezone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    } catch {
      f = new Intl.DateTimeFormat("en-CA", {
        timeZone: "UTC",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    }
    formatters.set(timezone, f);
  }
  return f.format(at);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Instants that surely contain every store's [dayFrom 00:00, dayTo 24:00) whatever its zone
 * (UTC−12 … UTC+14): the SQL pre-filter, refined exactly per store by `dayIn`.
 */
export function widenedBounds(dayFrom: string, dayTo: string): { from: string; to: string } {
  return {
    from: new Date(Date.parse(`${dayFrom}T00:00:00Z`) - 14 * 3600_000).toISOString(),
    to: new Date(Date.parse(`${addDays(dayTo, 1)}T00:00:00Z`) + 12 * 3600_000).toISOString(),
  };
}

export function daySpan(dayFrom: string, dayTo: string): number {
  return Math.round((Date.parse(`${dayTo}T00:00:00Z`) - Date.parse(`${dayFrom}T00:00:00Z`)) / DAY_MS) + 1;
}
