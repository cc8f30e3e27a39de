import { MS_PER_DAY } from '../shared/instant';
import { CadenceClock } from './trust.cadence-clock';
import { TRUST_POLICY_V1 } from './trust.policy';
import type { PauseInterval } from './trust.timeline';

const T = Date.parse('2025-01-06T09:00:00.000Z');
const day = (n: number) => T + n * MS_PER_DAY;

const clock = (cadenceDays: number | null = 14, pauses: PauseInterval[] = []) => {
  const c = new CadenceClock(pauses, cadenceDays, TRUST_POLICY_V1);
  c.restart(T);
  return c;
};

describe('the cadence clock', () => {
  it('has no gap due before it starts, nor without an agreed cadence', () => {
    expect(new CadenceClock([], 14, TRUST_POLICY_V1).nextGapAt).toBe(Infinity);
    expect(clock(null).nextGapAt).toBe(Infinity);
    expect(clock(0).nextGapAt).toBe(Infinity);
  });

  it('first has a gap due two cadences after the start, then one more every cadence', () => {
    const c = clock();
    expect(c.nextGapAt).toBe(day(28));
    c.fireGap();
    expect(c.nextGapAt).toBe(day(42));
    c.fireGap();
    expect(c.nextGapAt).toBe(day(56));
  });

  it('starts over from a held meeting', () => {
    const c = clock();
    c.restart(day(10));
    expect(c.gapDaysAt(day(15))).toBe(5);
    expect(c.nextGapAt).toBe(day(38));
  });

  it('does not run while paused', () => {
    const c = clock(14, [{ start: day(5), end: day(8) }]);
    expect(c.gapDaysAt(day(10))).toBe(7);
    expect(c.nextGapAt).toBe(day(31));
    expect(clock(14, [{ start: day(5), end: Infinity }]).nextGapAt).toBe(Infinity);
  });

  it('charges a gap to the one party who last cancelled or stayed away within it, else to both', () => {
    const c = clock();
    expect(c.fireGap()).toEqual(['MENTOR', 'MENTEE']);
    c.blame(day(30), ['MENTEE']);
    expect(c.fireGap()).toEqual(['MENTEE']);
    c.blame(day(45), ['MENTOR', 'MENTEE']);
    expect(c.fireGap()).toEqual(['MENTOR', 'MENTEE']);
  });

  it('forgets blame from before the open gap, but not blame at its very start', () => {
    const c = clock();
    c.blame(day(9), ['MENTOR']);
    c.restart(day(10));
    expect(c.fireGap()).toEqual(['MENTOR', 'MENTEE']);
    c.blame(day(50), ['MENTEE']);
    c.restart(day(50));
    expect(c.fireGap()).toEqual(['MENTEE']);
  });
});
