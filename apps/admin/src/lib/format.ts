// Display formatting through Intl with the user's locale (one module for every page). Money stays
// bigint kopecks until it becomes text: Intl formats its exact decimal string, no float touches it.

import type { Locale } from "~/i18n/locales.ts";

export interface FormatLabels {
  /** Shown for a missing value. */
  missing: string;
  /** Shown for an instant that never happened (a till that never synced). */
  never: string;
}

const DEFAULT_LABELS: FormatLabels = { missing: "—", never: "never" };

/** "123456" kopecks → "1234.56": an exact decimal string Intl.NumberFormat formats without rounding. */
function kopecksToDecimal(kopecks: bigint): string {
  const negative = kopecks < 0n;
  const abs = negative ? -kopecks : kopecks;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

export interface Formatter {
  locale: Locale;
  /** 123456n → ru "1 234,56 ₽", en "₽1,234.56". */
  money(kopecks: bigint | null | undefined): string;
  /** 12345 → ru "12 345", en "12,345". */
  number(value: number | bigint | null | undefined): string;
  /** An instant in the store's timezone: ru "22 нояб. 2026 г., 10:15:03 GMT+3", en "22 Nov 2026, 10:15:03 GMT+3". */
  dateTime(date: Date | null | undefined, timeZone: string): string;
  /** How long ago, relative to `now` (the server's clock): "5 min. ago" / "5 мин. назад"; under 10 s "now". */
  age(date: Date | null | undefined, now: Date): string;
  /** Clock skew: "+1.2 s" / "+1,2 с", "−350 ms"; zero "0 ms". */
  skew(ms: number | null | undefined): string;
}

/** Intl formatters are costly to build: one set per locale, shared by every render. */
const cache = new Map<string, Formatter>();

export function createFormatter(locale: Locale, labels: FormatLabels = DEFAULT_LABELS): Formatter {
  const key = `${locale}\u0000${labels.missing}\u0000${labels.never}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const money = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "RUB",
    currencyDisplay: "narrowSymbol",
  });
  const number = new Intl.NumberFormat(locale);
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  const milliseconds = new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "millisecond",
    signDisplay: "exceptZero",
  });
  const seconds = new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "second",
    signDisplay: "exceptZero",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const dateTimes = new Map<string, Intl.DateTimeFormat>();
  const dateTimeIn = (timeZone: string) => {
    let format = dateTimes.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, {
        timeZone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        // Operations read 24-hour times in both languages (en would default to AM/PM).
        hourCycle: "h23",
        timeZoneName: "short",
      });
      dateTimes.set(timeZone, format);
    }
    return format;
  };
  const formatter: Formatter = {
    locale,
    money: (kopecks) =>
      kopecks === null || kopecks === undefined
        ? labels.missing
        : // A decimal string is formatted exactly (Intl.NumberFormat v3); the types only admit number.
          money.format(kopecksToDecimal(kopecks) as unknown as number),
    number: (value) => (value === null || value === undefined ? labels.missing : number.format(value)),
    dateTime: (date, timeZone) => (date ? dateTimeIn(timeZone).format(date) : labels.missing),
    age: (date, now) => {
      if (!date) return labels.never;
      const s = Math.round((now.getTime() - date.getTime()) / 1000);
      if (s < 10) return relative.format(0, "second");
      if (s < 60) return relative.format(-s, "second");
      if (s < 3600) return relative.format(-Math.floor(s / 60), "minute");
      if (s < 86_400) return relative.format(-Math.floor(s / 3600), "hour");
      return relative.format(-Math.floor(s / 86_400), "day");
    },
    skew: (ms) => {
      if (ms === null || ms === undefined) return labels.missing;
      return Math.abs(ms) < 1000 ? milliseconds.format(ms) : seconds.format(ms / 1000);
    },
  };
  cache.set(key, formatter);
  return formatter;
}
