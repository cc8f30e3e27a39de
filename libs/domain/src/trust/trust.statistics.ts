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

/**
 * quantile(ascending(values), p) for each p, exactly, found by selection
 * rather than by sorting: a trend takes three quantiles of thousands of
 * scores per bucket. Reorders `values`.
 */
export const quantilesOf = (values: Float64Array, ps: readonly number[]): (number | null)[] => {
  const n = values.length;
  if (n === 0) return ps.map(() => null);
  const bounds = ps.map((p) => {
    const h = (n - 1) * p;
    const lower = Math.floor(h);
    return { h, lower, upper: Math.min(lower + 1, n - 1) };
  });
  const ranks = [...new Set(bounds.flatMap(({ lower, upper }) => [lower, upper]))].sort((a, b) => a - b);
  // Once rank k is in place, everything before it is no larger and everything after no smaller.
  let from = 0;
  for (const rank of ranks) {
    selectRank(values, rank, from, n - 1);
    from = rank + 1;
  }
  return bounds.map(({ h, lower, upper }) => values[lower] + (h - lower) * (values[upper] - values[lower]));
};

/** Puts the value of rank k (among positions left..right) at position k: Hoare's quickselect, median-of-three pivot. */
const selectRank = (values: Float64Array, k: number, left: number, right: number): void => {
  const swap = (i: number, j: number) => {
    const value = values[i];
    values[i] = values[j];
    values[j] = value;
  };
  while (right > left) {
    const middle = (left + right) >>> 1;
    if (values[middle] < values[left]) swap(middle, left);
    if (values[right] < values[left]) swap(right, left);
    if (values[right] < values[middle]) swap(right, middle);
    const pivot = values[middle];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i += 1;
      while (values[j] > pivot) j -= 1;
      if (i <= j) {
        swap(i, j);
        i += 1;
        j -= 1;
      }
    }
    // Now left..j ≤ pivot ≤ i..right, and everything between j and i equals the pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
};
