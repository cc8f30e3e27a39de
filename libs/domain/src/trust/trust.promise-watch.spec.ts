import { MS_PER_DAY } from '../shared/instant';
import { TRUST_POLICY_V1 } from './trust.policy';
import { PromiseWatch } from './trust.promise-watch';

const T = Date.parse('2025-01-06T09:00:00.000Z');
const day = (n: number) => T + n * MS_PER_DAY;

const watch = () => new PromiseWatch(TRUST_POLICY_V1);
const next = (w: PromiseWatch) => {
  const firing = w.nextOverdue();
  return firing === null ? null : { at: firing.at, promisor: firing.promise.promisor };
};

describe('the promise watch', () => {
  it('has nothing to fire without promises', () => {
    expect(watch().nextOverdue()).toBeNull();
  });

  it('fires an open promise seven days after its due date', () => {
    const w = watch();
    w.made('p1', 'MENTOR', 1n, day(10), day(1));
    expect(next(w)).toEqual({ at: day(17), promisor: 'MENTOR' });
  });

  it('fires the earliest first and, at the same instant, the promise made first', () => {
    const w = watch();
    w.made('late', 'MENTOR', 5n, day(20), day(2));
    w.made('second', 'MENTEE', 4n, day(10), day(2));
    w.made('first', 'MENTOR', 3n, day(10), day(3));
    expect(w.nextOverdue()?.promise.madePosition).toBe(3n);
  });

  it('watches a promise no longer once kept, broken or fired', () => {
    const w = watch();
    w.made('p1', 'MENTOR', 1n, day(10), day(1));
    w.made('p2', 'MENTEE', 2n, day(11), day(1));
    expect(w.settle('p1')?.overdueFired).toBe(false);
    const firing = w.nextOverdue()!;
    expect(firing.promise.promisor).toBe('MENTEE');
    w.fireOverdue(firing.promise);
    expect(w.nextOverdue()).toBeNull();
    expect(w.settle('p2')?.overdueFired).toBe(true);
  });

  it('moves the firing with a renegotiated due date', () => {
    const w = watch();
    w.made('p1', 'MENTOR', 1n, day(10), day(1));
    w.renegotiated('p1', day(30), day(9));
    expect(next(w)).toEqual({ at: day(37), promisor: 'MENTOR' });
  });

  it('never fires a due date whose grace had run out before it came into force', () => {
    const w = watch();
    w.made('p1', 'MENTOR', 1n, day(1), day(9));
    expect(w.nextOverdue()).toBeNull();
    w.made('p2', 'MENTOR', 2n, day(1), day(8));
    expect(next(w)).toEqual({ at: day(8), promisor: 'MENTOR' });
  });

  it('ignores a renegotiation or a settlement of a promise it never saw made', () => {
    const w = watch();
    w.renegotiated('ghost', day(3), day(1));
    expect(w.settle('ghost')).toBeUndefined();
    expect(w.nextOverdue()).toBeNull();
  });
});
