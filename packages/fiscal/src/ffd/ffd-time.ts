/**
 * FFD date-time (tag 1012 and friends). The FN stores the till's *local wall-clock* time as
 * seconds since 1970 as if it were UTC (FFD: "UnixTime" of the local time), so converting with a
 * time zone would shift every document by the till's UTC offset. These helpers never apply one.
 */
import { FfdError } from "./errors.ts";

/** Seconds → "2021-07-29T11:29:00" (wall-clock, no zone). */
export function ffdTimeToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** "2021-07-29T11:29[:00]" (wall-clock; a zone suffix is rejected) → seconds. */
export function ffdTimeFromIso(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(iso);
  if (!m) {
    throw new FfdError("DOCUMENT_INVALID", `"${iso}" is not a wall-clock date-time like 2021-07-29T11:29:00`);
  }
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s) / 1000;
}

/** A Date as the till's wall clock shows it (the process's local time zone) → seconds. */
export function ffdTimeFromDate(date: Date): number {
  return (
    Date.UTC(
      date.getFullYear(),
      date.getMonth(),
      date.getDate(),
      date.getHours(),
      date.getMinutes(),
      date.getSeconds(),
    ) / 1000
  );
}
