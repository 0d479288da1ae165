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

/** Kopecks as roubles with two decimals ("-1234.05"), from the integer's digits: no float ever touches money. */
export function roubles(kopecks: bigint | null): string {
  if (kopecks === null) return "";
  if (kopecks < 0n) return `-${roubles(-kopecks)}`;
  const digits = kopecks.toString();
  if (digits.length > 2) return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return digits.length === 2 ? `0.${digits}` : `0.0${digits}`;
}

/**
 * csvCell for text, remembered per value: a chain's week repeats its store, till and cashier names,
 * days and states thousands of times (one cache per export).
 */
export function csvTextCells(): (value: string | null | undefined) => string {
  const cells = new Map<string, string>();
  return (value) => {
    if (value === null || value === undefined) return "";
    let cell = cells.get(value);
    if (cell === undefined) {
      cell = csvCell(value);
      cells.set(value, cell);
    }
    return cell;
  };
}
