/**
 * RUM percentiles come from mergeable log-bucketed histograms (DDSketch-style), not from
 * `percentile_cont` over raw samples: a percentile cannot be merged, a histogram can (add the
 * counts), so an hourly or daily rollup per metric × store × till answers any window, store or till
 * set by summing rows, and the page never reads raw samples. The price is a bounded relative
 * error: every value is represented by its bin's midpoint, within RUM_RELATIVE_ERROR of it.
 *
 * The database computes bins itself (SQL functions `rum_bin` / `rum_bin_value`, migration
 * 20261201130000_rum); these TypeScript twins exist for tests and the bench's reference figures.
 */

/** Bin growth factor γ: bin i holds (γ^(i-1), γ^i]. 1.05 → ~47 bins per decade. */
export const RUM_GAMMA = 1.05;
/** (γ − 1)/(γ + 1): the largest relative distance between a value and its bin's representative. */
export const RUM_RELATIVE_ERROR = (RUM_GAMMA - 1) / (RUM_GAMMA + 1);
/** Bin index offset: values down to 1e-9 get positive bins. */
const OFFSET = 1100;

/** The bin of a value, exactly as SQL's rum_bin computes it. */
export function rumBin(value: number): number {
  if (Math.abs(value) < 1e-9) return 0;
  const index = Math.ceil(Math.log(Math.abs(value)) / Math.log(RUM_GAMMA)) + OFFSET;
  return value > 0 ? index : -index;
}

/** The representative value of a bin, as SQL's rum_bin_value. */
export function rumBinValue(bin: number): number {
  if (bin === 0) return 0;
  const magnitude = (2 * RUM_GAMMA ** (Math.abs(bin) - OFFSET)) / (RUM_GAMMA + 1);
  return bin > 0 ? magnitude : -magnitude;
}

/** The bounds [lower, upper] of the values a bin holds (for the distribution chart). */
export function rumBinBounds(bin: number): { lower: number; upper: number } {
  if (bin === 0) return { lower: 0, upper: 0 };
  const upper = RUM_GAMMA ** (Math.abs(bin) - OFFSET);
  const lower = upper / RUM_GAMMA;
  return bin > 0 ? { lower, upper } : { lower: -upper, upper: -lower };
}

/**
 * The nearest-rank quantile of raw values (the value at rank ⌈q·n⌉ in ascending order): the
 * reference the database's histogram percentiles are tested against.
 */
export function nearestRankQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}
