import Database from 'better-sqlite3';
import fc from 'fast-check';
import { parseStoredJson } from '@trustline/event-store';
import { at, fixtureIds, promiseKept, promiseMade } from '@trustline/testing';
import { projected, storedEvent } from '@trustline/testing/projected.fixtures';
import { domainFact, toProjectedEvent } from '../runner/projected-event';
import { FactsKept } from './relationship-facts.kept';
import {
  factOfRow,
  RELATIONSHIP_FACT_COLUMNS,
  relationshipFactsProjection,
  type RelationshipFactTuple,
} from './relationship-facts.projection';

// The oracle: the facts as the evidence refresh reads them back from relationship_facts.
const OTHER = '30000000-0000-4000-8000-0000000000ff';

describe('the facts a rebuild keeps for the evidence summaries', () => {
  const lone = fc.constantFrom('\ud800', 'x\udc00y', '\udfff\ud83d\ude00');
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), lone);
  const anyFact = fc.record({
    relationship: fc.constantFrom(fixtureIds.relationship, OTHER),
    kept: fc.boolean(),
    description: text,
    eventId: fc.oneof(fc.uuid(), text),
    recordedAt: fc.oneof(fc.constant(at(2)), text),
    // Data parsed from its stored text, or (as an upcast gives) an object of its own.
    asStored: fc.boolean(),
  });

  it('are what reading relationship_facts back gives, lone surrogates included, within the budget or not', () => {
    fc.assert(
      fc.property(fc.array(anyFact, { maxLength: 30 }), fc.integer({ min: 0, max: 6000 }), (facts, budget) => {
        const db = new Database(':memory:');
        try {
          relationshipFactsProjection.tables.forEach((ddl) => db.exec(ddl));
          const writer = relationshipFactsProjection.prepare(db);
          const kept = new FactsKept(db, budget);
          const revisions = new Map<string, bigint>();
          facts.forEach((spec, n) => {
            const base = spec.kept
              ? promiseKept({ relationshipId: spec.relationship, occurredAt: at(3) })
              : promiseMade({ relationshipId: spec.relationship, description: spec.description, occurredAt: at(1) });
            const data = spec.asStored ? parseStoredJson(JSON.stringify(base.data)) : { ...base.data };
            const revision = revisions.get(spec.relationship) ?? 0n;
            revisions.set(spec.relationship, revision + 1n);
            const stored = storedEvent(
              `relationship-${spec.relationship}`,
              { type: base.type, data },
              { position: BigInt(n + 1), revision, metadata: { recordedAt: spec.recordedAt } },
            );
            const event = toProjectedEvent({ ...stored, id: spec.eventId });
            const fact = domainFact(event, 'relationship')!;
            writer.apply([event]);
            kept.add(spec.relationship, fact);
          });
          writer.flush();
          const read = db.prepare(
            `SELECT ${RELATIONSHIP_FACT_COLUMNS} FROM relationship_facts WHERE relationship_id = ? ORDER BY position`,
          );
          for (const id of [fixtureIds.relationship, OTHER]) {
            const whole = kept.take(id);
            const rows = read.raw(true).safeIntegers(true).all(id) as RelationshipFactTuple[];
            if (whole !== undefined) expect(whole).toEqual(rows.map(factOfRow));
            expect(kept.take(id)).toBeUndefined();
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every fact within the budget, and none of a relationship once it is passed', () => {
    const db = new Database(':memory:');
    const kept = new FactsKept(db, 2500);
    const facts = Array.from({ length: 8 }, (_, n) =>
      domainFact(
        projected(`relationship-${fixtureIds.relationship}`, promiseMade({ occurredAt: at(1) }), {
          position: BigInt(n + 1),
          revision: BigInt(n),
        }),
        'relationship',
      )!,
    );
    facts.slice(0, 2).forEach((fact) => kept.add(fixtureIds.relationship, fact));
    expect(kept.take(fixtureIds.relationship)).toHaveLength(2);
    const other = new FactsKept(db, 2500);
    facts.forEach((fact) => other.add(fixtureIds.relationship, fact));
    expect(other.take(fixtureIds.relationship)).toBeUndefined();
    db.close();
  });
});
