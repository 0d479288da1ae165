// Display formatting. Money stays bigint kopecks until it becomes text: no float ever touches it.

const roubles = new Intl.NumberFormat("ru-RU", { useGrouping: true });

/** 123456n → "1 234,56 ₽" (ru-RU grouping). */
export function formatKopecks(kopecks: bigint | null | undefined): string {
  if (kopecks === null || kopecks === undefined) return "—";
  const negative = kopecks < 0n;
  const abs = negative ? -kopecks : kopecks;
  const whole = roubles.format(abs / 100n);
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "−" : ""}${whole},${cents} ₽`;
}

/** An instant in the store's timezone: "22 Nov 2026, 10:15:03 GMT+3". */
export function formatInZone(date: Date | null | undefined, timeZone: string): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** "just now", "5 min ago", "3 h ago", "2 d ago" relative to `now` (the server's clock). */
export function formatAge(date: Date | null | undefined, now: Date): string {
  if (!date) return "never";
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Clock skew as "+1.2 s" / "−350 ms"; null → "—". */
export function formatSkew(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  const sign = ms > 0 ? "+" : ms < 0 ? "−" : "±";
  const abs = Math.abs(ms);
  return abs < 1000 ? `${sign}${abs} ms` : `${sign}${(abs / 1000).toFixed(1)} s`;
}
