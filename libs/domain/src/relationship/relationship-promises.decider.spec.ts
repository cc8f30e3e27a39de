import {
  at,
  breakPromise,
  DeciderSpecification,
  fixtureIds,
  keepPromise,
  makePromise,
  promiseBroken,
  promiseKept,
  promiseMade,
  promiseRenegotiated,
  relationshipStarted,
  renegotiatePromise,
} from '@trustline/testing';
import { relationshipDecider } from './relationship.decider';

const spec = DeciderSpecification.for(relationshipDecider);

const started = relationshipStarted({ occurredAt: at(1) });
const madeByMentee = promiseMade({ promisor: 'MENTEE', occurredAt: at(2), dueAt: at(9) });

describe('making a promise', () => {
  it('records who promised what, by when', () => {
    spec.given([started]).when(makePromise()).then([promiseMade()]);
  });

  it('records a promise back-dated before facts already recorded', () => {
    spec
      .given([started, promiseMade({ promiseId: fixtureIds.otherPromise, occurredAt: at(6), dueAt: at(8) })])
      .when(makePromise({ occurredAt: at(3), dueAt: at(4) }))
      .then([promiseMade({ occurredAt: at(3), dueAt: at(4) })]);
  });

  it.each([
    ['at the moment it is made', at(2)],
    ['before the moment it is made', at(1, 12)],
  ])('refuses a due date %s', (_case, dueAt) => {
    spec
      .given([started])
      .when(makePromise({ occurredAt: at(2), dueAt }))
      .thenThrows({ rule: 'promise.due-not-after-occurrence', kind: 'CONFLICT' });
  });

  it('refuses a second promise with the same id', () => {
    spec
      .given([started, promiseMade()])
      .when(makePromise())
      .thenThrows({ rule: 'promise.already-exists', kind: 'CONFLICT' });
  });
});

describe('an open promise', () => {
  const open = [started, madeByMentee];

  it('is renegotiated to a later date, naming its promisor and the date it replaces', () => {
    spec
      .given(open)
      .when(renegotiatePromise({ occurredAt: at(5), newDueAt: at(16) }))
      .then([promiseRenegotiated({ promisor: 'MENTEE', previousDueAt: at(9), newDueAt: at(16), occurredAt: at(5) })]);
  });

  it('is renegotiated after its due date passed', () => {
    spec
      .given(open)
      .when(renegotiatePromise({ occurredAt: at(12), newDueAt: at(14) }))
      .then([promiseRenegotiated({ promisor: 'MENTEE', previousDueAt: at(9), newDueAt: at(14), occurredAt: at(12) })]);
  });

  it.each([
    ['at the moment of renegotiation', at(5)],
    ['before the moment of renegotiation', at(4)],
  ])('refuses a new due date %s', (_case, newDueAt) => {
    spec
      .given(open)
      .when(renegotiatePromise({ occurredAt: at(5), newDueAt }))
      .thenThrows('promise.due-not-after-occurrence');
  });

  it('is kept, with the due date in force', () => {
    spec
      .given(open)
      .when(keepPromise({ occurredAt: at(8) }))
      .then([promiseKept({ promisor: 'MENTEE', dueAt: at(9), occurredAt: at(8) })]);
  });

  it('is kept late', () => {
    spec
      .given(open)
      .when(keepPromise({ occurredAt: at(20) }))
      .then([promiseKept({ promisor: 'MENTEE', dueAt: at(9), occurredAt: at(20) })]);
  });

  it('is kept at the very instant it was made', () => {
    spec
      .given(open)
      .when(keepPromise({ occurredAt: at(2) }))
      .then([promiseKept({ promisor: 'MENTEE', dueAt: at(9), occurredAt: at(2) })]);
  });

  it('is broken, with a reason', () => {
    spec
      .given(open)
      .when(breakPromise({ occurredAt: at(10), reason: 'The investor left' }))
      .then([promiseBroken({ promisor: 'MENTEE', dueAt: at(9), reason: 'The investor left', occurredAt: at(10) })]);
  });

  it.each([
    ['renegotiated', renegotiatePromise({ occurredAt: at(1, 12) })],
    ['kept', keepPromise({ occurredAt: at(1, 12) })],
    ['broken', breakPromise({ occurredAt: at(1, 12) })],
  ])('cannot be %s before it was made', (_case, command) => {
    spec.given(open).when(command).thenThrows({ rule: 'promise.before-last-change', kind: 'CONFLICT' });
  });

  it.each([
    ['renegotiated', renegotiatePromise({ promiseId: fixtureIds.otherPromise })],
    ['kept', keepPromise({ promiseId: fixtureIds.otherPromise })],
    ['broken', breakPromise({ promiseId: fixtureIds.otherPromise })],
  ])('leaves an unknown promise impossible to be %s', (_case, command) => {
    spec.given(open).when(command).thenThrows({ rule: 'promise.not-found', kind: 'NOT_FOUND' });
  });
});

describe('a renegotiated promise', () => {
  const renegotiated = [
    started,
    madeByMentee,
    promiseRenegotiated({ promisor: 'MENTEE', previousDueAt: at(9), newDueAt: at(16), occurredAt: at(5) }),
  ];

  it('is kept against its new due date', () => {
    spec
      .given(renegotiated)
      .when(keepPromise({ occurredAt: at(15) }))
      .then([promiseKept({ promisor: 'MENTEE', dueAt: at(16), occurredAt: at(15) })]);
  });

  it('is broken against its new due date', () => {
    spec
      .given(renegotiated)
      .when(breakPromise({ occurredAt: at(17) }))
      .then([promiseBroken({ promisor: 'MENTEE', dueAt: at(16), occurredAt: at(17) })]);
  });

  it('is renegotiated again from its new due date', () => {
    spec
      .given(renegotiated)
      .when(renegotiatePromise({ occurredAt: at(7), newDueAt: at(23) }))
      .then([promiseRenegotiated({ promisor: 'MENTEE', previousDueAt: at(16), newDueAt: at(23), occurredAt: at(7) })]);
  });

  it.each([
    ['renegotiated', renegotiatePromise({ occurredAt: at(4), newDueAt: at(20) })],
    ['kept', keepPromise({ occurredAt: at(4) })],
    ['broken', breakPromise({ occurredAt: at(4) })],
  ])('cannot be %s back-dated before its renegotiation', (_case, command) => {
    spec.given(renegotiated).when(command).thenThrows('promise.before-last-change');
  });
});

describe.each([
  ['kept', promiseKept({ occurredAt: at(8) })],
  ['broken', promiseBroken({ occurredAt: at(10) })],
])('a %s promise', (_status, settled) => {
  const history = [started, promiseMade(), settled];

  it('cannot be kept', () => {
    spec
      .given(history)
      .when(keepPromise({ occurredAt: at(11) }))
      .thenThrows({ rule: 'promise.already-settled', kind: 'CONFLICT' });
  });

  it('cannot be broken', () => {
    spec
      .given(history)
      .when(breakPromise({ occurredAt: at(11) }))
      .thenThrows('promise.already-settled');
  });

  it('cannot be renegotiated', () => {
    spec
      .given(history)
      .when(renegotiatePromise({ occurredAt: at(11), newDueAt: at(20) }))
      .thenThrows('promise.already-settled');
  });

  it('leaves other promises open', () => {
    spec
      .given([...history, promiseMade({ promiseId: fixtureIds.otherPromise, occurredAt: at(3), dueAt: at(12) })])
      .when(keepPromise({ promiseId: fixtureIds.otherPromise, occurredAt: at(11) }))
      .then([promiseKept({ promiseId: fixtureIds.otherPromise, dueAt: at(12), occurredAt: at(11) })]);
  });
});
