import { compareText } from "../compare-text.ts";

/**
 * Each distinct text's place in compareText order (texts it calls equal share one), so a sort of
 * thousands of rows compares integers: the same order as compareText on every pair, with the
 * collator run over the few hundred distinct names instead of every comparison.
 */
export function textRanks(texts: Iterable<string>): Map<string, number> {
  const distinct = [...new Set(texts)].sort(compareText);
  const ranks = new Map<string, number>();
  let rank = 0;
  distinct.forEach((text, n) => {
    if (n > 0 && compareText(distinct[n - 1]!, text) !== 0) rank += 1;
    ranks.set(text, rank);
  });
  return ranks;
}
