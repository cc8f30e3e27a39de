import fc from 'fast-check';
import { atRisk, atRiskOfSummaries } from './program.at-risk';
import { programTrend, programTrendOfSummaries } from './program.trend';
import { deriveEvidence, type RelationshipEvidence } from './trust.evidence';
import { RelationshipHistory, T0, days } from '@trustline/testing';
import { historyArbitrary } from '@trustline/testing/fixtures/relationship-history.arbitrary';
import { cadenceAsOf } from './trust.cadence';
import { TRUST_DIRECTIONS } from './trust.policy';
import { trustScore } from './trust.score';
import { summarizeEvidence, summaryScore } from './trust.summary';
import { decodeSummary, encodeSummary } from './trust.summary.codec';

/** Evidence derived as of `now`, but for `now` itself. */
const withoutNow = ({ now: _now, ...rest }: RelationshipEvidence) => rest;

describe('evidence derived as of some instant', () => {
  it('stays exactly what a later derivation gives until its nextFiringAt, and not at it', () => {
    fc.assert(
      fc.property(
        historyArbitrary,
        fc.integer({ min: -30, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ facts, lastAt }, afterDays, share) => {
          const now = lastAt + days(afterDays);
          const first = deriveEvidence(facts, now);
          expect(first.nextFiringAt).toBeGreaterThan(now);
          const horizon = Math.min(first.nextFiringAt, now + days(800));
          const later = now + Math.floor(share * (horizon - 1 - now));
          expect(withoutNow(deriveEvidence(facts, later))).toEqual(withoutNow(first));
          expect(withoutNow(deriveEvidence(facts, horizon - 1))).toEqual(withoutNow(first));
          if (first.nextFiringAt !== Infinity) {
            // At the firing something changes: usually an item is added, but a firing may also replace one
            // (an open promise read as broken turns overdue), so the count alone is not the test.
            const fired = deriveEvidence(facts, first.nextFiringAt);
            expect(withoutNow(fired)).not.toEqual(withoutNow(first));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the summary of some evidence', () => {
  it('scores and paces the relationship exactly as the evidence does, in both directions, at any instant', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: -10, max: 400 }), ({ facts, lastAt }, asOfDays) => {
        const evidence = deriveEvidence(facts, lastAt + days(30));
        const summary = summarizeEvidence(evidence);
        const asOf = lastAt + days(asOfDays);
        for (const direction of TRUST_DIRECTIONS) {
          expect(summaryScore(summary, direction, asOf)).toEqual(trustScore(evidence, direction, asOf));
        }
        expect(summaryScore(summary, 'MENTOR_IN_MENTEE')).toEqual(trustScore(evidence, 'MENTOR_IN_MENTEE'));
        expect(cadenceAsOf(summary, asOf)).toEqual(cadenceAsOf(evidence, asOf));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the program trend and the at-risk list of fresh evidence, when kept from an earlier instant within nextFiringAt', () => {
    fc.assert(
      fc.property(
        fc.array(historyArbitrary, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 60 }),
        (histories, afterDays) => {
          const lastAt = Math.max(...histories.map((history) => history.lastAt));
          const keptAt = lastAt + days(afterDays);
          const kept = histories.map(({ facts }) => summarizeEvidence(deriveEvidence(facts, keptAt)));
          // The first instant at which every kept summary is still current, a little later than keptAt.
          const now = Math.min(keptAt + days(3), ...kept.map((summary) => summary.nextFiringAt - 1));
          const fresh = histories.map(({ facts }) => deriveEvidence(facts, now));
          const program = { launchedAt: T0 - days(3), communications: [T0 + days(2)] };
          const query = { now, bucket: 'WEEK' as const };
          expect(programTrendOfSummaries(program, kept, query)).toEqual(programTrend(program, fresh, query));
          expect(atRiskOfSummaries(kept, now)).toEqual(atRisk(fresh, now));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('a summary written as bytes', () => {
  // Object.is on every number: -0, Infinity and the last bit of a double survive, as a fresh derivation would give them.
  const sameBits = (a: unknown, b: unknown): void => expect(JSON.stringify(a, bitsOf)).toBe(JSON.stringify(b, bitsOf));
  function bitsOf(this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
    if (ArrayBuffer.isView(value))
      return [
        value.constructor.name,
        ...Array.from(value as Float64Array, (n) => (Object.is(n, -0) ? '-0' : String(n))),
      ];
    return value;
  }

  it('reads back bit for bit the summary written, whatever the history and the instant', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: -30, max: 400 }), ({ facts, lastAt }, afterDays) => {
        const summary = summarizeEvidence(deriveEvidence(facts, lastAt + days(afterDays)));
        const decoded = decodeSummary(encodeSummary(summary), summary.relationshipId, summary.policy.version);
        expect(decoded).toEqual(summary);
        sameBits(decoded, summary);
      }),
      { numRuns: 300 },
    );
  });

  it('is not read back as another format, another policy, or when cut short', () => {
    const summary = summarizeEvidence(
      deriveEvidence(new RelationshipHistory({ relationshipId: 'r', cadenceDays: 7 }).facts, T0),
    );
    const bytes = encodeSummary(summary);
    expect(decodeSummary(bytes, 'r', 'v0')).toBeNull();
    expect(decodeSummary(bytes.subarray(0, bytes.length - 1), 'r', 'v1')).toBeNull();
    const otherFormat = new Uint8Array(bytes);
    new Float64Array(otherFormat.buffer, 0, 1)[0] = 2;
    expect(decodeSummary(otherFormat, 'r', 'v1')).toBeNull();
  });
});
