/**
 * "100", "99.50", "99,50", "1 000" (roubles, as a person types them in either locale) → kopecks;
 * null when it is not an amount with at most two decimals. Exact: no float ever holds the money.
 */
export function parseRubles(text: string): bigint | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

/** 10000n → "100.00": the input's value (a plain decimal, whatever the locale). */
export function rublesText(kopecks: bigint): string {
  return `${kopecks / 100n}.${(kopecks % 100n).toString().padStart(2, "0")}`;
}
