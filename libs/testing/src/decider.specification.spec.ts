import type { Decider } from '@trustline/domain/shared/decider';
import { conflict, notFound } from '@trustline/domain/shared/domain-error';
import { DeciderSpecification } from './decider.specification';

// A tally that refuses to go above a limit: small enough to show what the helper accepts and rejects.
type Added = { type: 'Added'; data: { amount: number } };
type Add = { type: 'Add'; data: { amount: number } };
const LIMIT = 10;
const tally: Decider<Add, Added, number> = {
  initialState: () => 0,
  decide: (command, total) => {
    if (command.data.amount === 0) throw notFound('tally.nothing', 'Nothing to add');
    if (total + command.data.amount > LIMIT) throw conflict('tally.over-limit', 'Over the limit');
    return [{ type: 'Added', data: { amount: command.data.amount } }];
  },
  evolve: (total, event) => total + event.data.amount,
};

const spec = DeciderSpecification.for(tally);
const added = (amount: number): Added => ({ type: 'Added', data: { amount } });
const add = (amount: number): Add => ({ type: 'Add', data: { amount } });

describe('then', () => {
  it('passes when the command produces exactly the expected events', () => {
    spec
      .given([added(3)])
      .when(add(2))
      .then([added(2)]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      spec
        .given([])
        .when(add(2))
        .then([added(3)]),
    ).toThrow();
  });

  it('fails when the command is refused', () => {
    expect(() =>
      spec
        .given([added(9)])
        .when(add(2))
        .then([added(2)]),
    ).toThrow('Over the limit');
  });

  it('judges the command against the given events', () => {
    expect(() =>
      spec
        .given([added(9)])
        .when(add(1))
        .then([added(1)]),
    ).not.toThrow();
    expect(() =>
      spec
        .given([added(9), added(1)])
        .when(add(1))
        .then([added(1)]),
    ).toThrow();
  });
});

describe('thenThrows', () => {
  it('passes when the command breaks the named rule', () => {
    spec
      .given([added(9)])
      .when(add(2))
      .thenThrows('tally.over-limit');
  });

  it('passes when the rule and its kind match', () => {
    spec.given([]).when(add(0)).thenThrows({ rule: 'tally.nothing', kind: 'NOT_FOUND' });
  });

  it('passes when the predicate holds for the thrown value', () => {
    spec
      .given([added(9)])
      .when(add(2))
      .thenThrows((error) => error instanceof Error && error.message === 'Over the limit');
  });

  it('fails when another rule is broken', () => {
    expect(() =>
      spec
        .given([added(9)])
        .when(add(2))
        .thenThrows('tally.nothing'),
    ).toThrow();
  });

  it('fails when the kind differs', () => {
    expect(() => spec.given([]).when(add(0)).thenThrows({ rule: 'tally.nothing', kind: 'CONFLICT' })).toThrow();
  });

  it('fails when the predicate does not hold', () => {
    expect(() =>
      spec
        .given([added(9)])
        .when(add(2))
        .thenThrows(() => false),
    ).toThrow('does not match the predicate');
  });

  it('fails when the command is accepted', () => {
    expect(() => spec.given([]).when(add(2)).thenThrows('tally.over-limit')).toThrow('it produced');
  });

  it('fails when something other than a domain error is thrown', () => {
    const broken = DeciderSpecification.for({
      ...tally,
      decide: () => {
        throw new TypeError('bug');
      },
    });
    expect(() => broken.given([]).when(add(1)).thenThrows('tally.over-limit')).toThrow('Expected a DomainError');
  });
});
