import fc from 'fast-check';
import { ascending, mean, median, populationStdDev, quantile, quantilesOf } from './trust.statistics';

describe('a quantile', () => {
  it('interpolates linearly at h = (n − 1)·p', () => {
    const sorted = [10, 20, 40, 80];
    // p25: h = 0.75 → 10 + 0.75·10 = 17.5; median: h = 1.5 → 20 + 0.5·20 = 30; p75: h = 2.25 → 40 + 0.25·40 = 50
    expect(quantile(sorted, 0.25)).toBe(17.5);
    expect(quantile(sorted, 0.5)).toBe(30);
    expect(quantile(sorted, 0.75)).toBe(50);
    expect(quantile(sorted, 0)).toBe(10);
    expect(quantile(sorted, 1)).toBe(80);
  });

  it('of one value is that value, and of none is null', () => {
    expect(quantile([7], 0.25)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('the small statistics', () => {
  it('sort before taking a median, and divide the variance by n', () => {
    expect([...ascending([3, 1, 2, -1.5])]).toEqual([-1.5, 1, 2, 3]);
    expect(median([5, 1, 3, 100])).toBe(4);
    expect(mean([1, 2, 6])).toBe(3);
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, 32/8 = 4 → 2
    expect(populationStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(mean([])).toBeNull();
    expect(populationStdDev([])).toBeNull();
  });
});

describe('quantiles found by selection', () => {
  it('are exactly the quantiles of the sorted values, repeated values included', () => {
    const value = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 55, 55, 70));
    const p = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.array(p, { minLength: 1, maxLength: 4 }), (values, ps) => {
        const sorted = ascending(values);
        expect(quantilesOf(Float64Array.from(values), ps)).toEqual(ps.map((q) => quantile(sorted, q)));
      }),
    );
  });

  it('of no values are null', () => {
    expect(quantilesOf(new Float64Array(0), [0.25, 0.5])).toEqual([null, null]);
  });
});
