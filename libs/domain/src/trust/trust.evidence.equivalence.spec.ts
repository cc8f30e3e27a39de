import fc from 'fast-check';
import { RelationshipHistory, T0, days, hours } from '@trustline/testing';
import type { Motive, Party } from '../relationship/relationship.events';
import { deriveEvidence } from './trust.evidence';
import { deriveEvidence as previousDeriveEvidence } from './trust.evidence.previous';
import { TRUST_POLICY_V1, type TrustPolicy } from './trust.policy';

// The replay split into collaborators must derive exactly what the one class
// derived: every item, figure, step and firing instant, bit for bit.

const party = fc.constantFrom<Party>('MENTOR', 'MENTEE');
const motive = fc.constantFrom<Motive>('DEVELOP_MENTEE', 'GIVE_BACK', 'PASS_THE_TORCH', 'EXPAND_NETWORK', 'OTHER');
// Instants on a coarse grid (12 h) with the odd millisecond either side of a
// day, so facts and firings often coincide.
const instant = fc.oneof(
  fc.integer({ min: -4, max: 120 }).map((n) => T0 + hours(12 * n)),
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom(0, 1, -1)).map(([n, ms]) => T0 + days(n) + ms),
);
// Due dates and meeting starts from a handful of days, so promises fall due together and gaps meet them.
const appointed = fc.oneof(
  instant,
  fc.integer({ min: 0, max: 8 }).map((n) => T0 + days(7 * n)),
);
/** Often on a due date or at its grace's end, where the rules change. */
const settledAt = fc.oneof(
  instant,
  appointed,
  appointed.map((at) => at + days(7)),
);
const id = fc.constantFrom('a', 'b', 'c', 'd');
const rating = fc.integer({ min: 1, max: 5 });

type Step = (history: RelationshipHistory, known: { promises: Set<string>; meetings: Set<string> }) => void;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(instant, id, party, appointed).map(([at, promiseId, promisor, dueAt]): Step => (h, k) => {
    k.promises.add(promiseId);
    h.promise(at, promiseId, promisor, dueAt);
  }),
  fc.tuple(instant, id, appointed).map(([at, promiseId, newDueAt]): Step => (h, k) => {
    if (k.promises.has(promiseId)) h.renegotiate(at, promiseId, newDueAt);
  }),
  fc.tuple(settledAt, id, fc.boolean()).map(([at, promiseId, kept]): Step => (h, k) => {
    if (!k.promises.has(promiseId)) return;
    if (kept) h.keep(at, promiseId);
    else h.break(at, promiseId);
  }),
  fc.tuple(instant, id, appointed, party).map(([at, meetingId, startsAt, by]): Step => (h, k) => {
    k.meetings.add(meetingId);
    h.schedule(at, meetingId, startsAt, by);
  }),
  fc.tuple(instant, id, instant, party).map(([at, meetingId, startsAt, by]): Step => (h, k) => {
    if (k.meetings.has(meetingId)) h.reschedule(at, meetingId, startsAt, by);
  }),
  fc.tuple(instant, id, party).map(([at, meetingId, by]): Step => (h, k) => {
    if (k.meetings.has(meetingId)) h.cancel(at, meetingId, by);
  }),
  fc.tuple(instant, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.option(instant)).map(
    ([startedAt, mentor, mentee, recordedAt]): Step =>
      (h) =>
        h.held(startedAt, { mentor, mentee, ...(recordedAt === null ? {} : { recordedAt }) }),
  ),
  fc.tuple(instant, fc.subarray<Party>(['MENTOR', 'MENTEE'])).map(
    ([startsAt, absent]): Step =>
      (h) =>
        h.missed(startsAt, absent),
  ),
  fc.tuple(instant, party, rating, rating, rating, fc.option(rating)).map(
    ([at, respondent, ability, benevolence, integrity, organization]): Step =>
      (h) =>
        h.checkIn(at, respondent, {
          ability,
          benevolence,
          integrity,
          ...(organization === null ? {} : { organization }),
        }),
  ),
  fc.tuple(instant, motive, fc.boolean()).map(
    ([at, primary, first]): Step =>
      (h) =>
        h.motives(at, primary, first),
  ),
  fc.tuple(instant, fc.option(instant)).map(
    ([at, until]): Step =>
      (h) =>
        h.pause(at, until),
  ),
  instant.map(
    (at): Step =>
      (h) =>
        h.resume(at),
  ),
  instant.map(
    (at): Step =>
      (h) =>
        h.end(at),
  ),
);

const LENIENT: TrustPolicy = {
  ...TRUST_POLICY_V1,
  promises: { graceDays: 0 },
  cadence: { ...TRUST_POLICY_V1.cadence, fullCreditUpTo: 1, noCreditFrom: 1.5, gapRepeatsEvery: 0.5 },
};

describe('the evidence replay, split into its collaborators', () => {
  it('derives exactly what the single replay derived, for any history, now and policy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 7, 14, 30),
        fc.array(step, { maxLength: 40 }),
        instant,
        fc.constantFrom(TRUST_POLICY_V1, LENIENT),
        fc.boolean(),
        (cadenceDays, steps, now, policy, restarted) => {
          const history = new RelationshipHistory({ cadenceDays });
          const known = { promises: new Set<string>(), meetings: new Set<string>() };
          for (const apply of steps) apply(history, known);
          const facts = history.facts;
          // A second start (as a subset of another stream might hold) is ignored alike.
          if (restarted) facts.push({ ...facts[0], position: 999n, eventId: 'restart' });
          expect(deriveEvidence(facts, now, policy)).toStrictEqual(previousDeriveEvidence(facts, now, policy));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
