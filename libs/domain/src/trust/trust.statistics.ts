// Small, exact statistics shared by the cadence and the program trend. Inputs
// are plain arrays; nothing here rounds.

/** Quantile p of ascending values by linear interpolation: h = (n − 1)·p. Null for no values. */
export const quantile = (sorted: ArrayLike<number>, p: number): number | null => {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
};

// A typed array sorts numerically without a comparator, several times faster on large inputs.
export const ascending = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

export const median = (values: ArrayLike<number>): number | null => quantile(ascending(values), 0.5);

export const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Population standard deviation (divides by n, not n − 1). */
export const populationStdDev = (values: readonly number[]): number | null => {
  const average = mean(values);
  if (average === null) return null;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / values.length);
};
