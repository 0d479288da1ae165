/**
 * CSV as RFC 4180 (CRLF, quotes doubled), with one guard: a text cell a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets a leading apostrophe — a cashier's name is typed on a till.
 */
export function csvCell(
  value: string | number | bigint | null | undefined,
  kind: "text" | "number" = "text",
): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (kind === "text" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: string[]): string {
  return `${cells.join(",")}\r\n`;
}

/** Kopecks as roubles with two decimals ("-1234.05"), from the integer: no float ever touches money. */
export function roubles(kopecks: bigint | null): string {
  if (kopecks === null) return "";
  const sign = kopecks < 0n ? "-" : "";
  const abs = kopecks < 0n ? -kopecks : kopecks;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}
