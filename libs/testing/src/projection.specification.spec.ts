import { ProjectionSpecification } from './projection.specification';

type Seen = { id: string; amount: number };
type Totals = { seen: string[]; total: number };

// Dedupes by event id, as a projection fed at least once must.
const dedupingTotal = ProjectionSpecification.for<Totals, Seen>({
  initialState: () => ({ seen: [], total: 0 }),
  evolve: (state, event) =>
    state.seen.includes(event.id) ? state : { seen: [...state.seen, event.id], total: state.total + event.amount },
});

// Counts a redelivered event twice, and updates its state in place.
const naiveTotal = ProjectionSpecification.for<Totals, Seen>({
  initialState: { seen: [], total: 0 },
  evolve: (state, event) => {
    state.seen.push(event.id);
    state.total += event.amount;
    return state;
  },
});

const a = { id: 'a', amount: 2 };
const b = { id: 'b', amount: 5 };

describe('then', () => {
  it('passes when the fold ends in the expected state', () => {
    dedupingTotal.given([a, b]).then({ seen: ['a', 'b'], total: 7 });
  });

  it('fails when the fold ends elsewhere', () => {
    expect(() => dedupingTotal.given([a, b]).then({ seen: ['a', 'b'], total: 8 })).toThrow();
  });

  it('matches part of the state', () => {
    dedupingTotal.given([a]).thenMatches({ total: 2 });
    expect(() => dedupingTotal.given([a]).thenMatches({ total: 3 })).toThrow();
  });

  it('starts every run afresh from an initial value, even for a fold that updates in place', () => {
    naiveTotal.given([a]).then({ seen: ['a'], total: 2 });
    naiveTotal.given([a]).then({ seen: ['a'], total: 2 });
  });

  it('hands the state to any other assertion', () => {
    dedupingTotal.given([a, b]).thenState((state) => expect(state.seen).toHaveLength(2));
  });
});

describe('redelivery', () => {
  it('passes for a projection that ignores an event it has already seen', () => {
    dedupingTotal.given([a, b]).thenIgnoresRedelivery();
    dedupingTotal.given([a, b]).thenIgnoresRedeliveryOf(a);
  });

  it('fails for a projection that counts an event twice, even one that changes its state in place', () => {
    expect(() => naiveTotal.given([a, b]).thenIgnoresRedelivery()).toThrow();
    expect(() => naiveTotal.given([a, b]).thenIgnoresRedeliveryOf(a)).toThrow();
  });

  it('refuses to pass vacuously', () => {
    expect(() => dedupingTotal.given([]).thenIgnoresRedelivery()).toThrow('at least one');
    expect(() => dedupingTotal.given([a]).thenIgnoresRedeliveryOf()).toThrow('at least one');
  });
});
