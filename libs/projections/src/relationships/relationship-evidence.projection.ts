import type Database from 'better-sqlite3';
import { deriveEvidence, encodeSummary, summarizeEvidence } from '@trustline/domain';
import type { Recorded, RelationshipEvent } from '@trustline/domain';
import { DocumentCache } from '../runner/document.cache';
import { domainFact } from '../runner/projected-event';
import { PROJECTION_TUNING } from '../runner/projection.tuning';
import type { Projection, ProjectionWriter, WriterContext } from '../runner/projection.definition';
import { FactsKept } from './relationship-facts.kept';
import { factOfRow, RELATIONSHIP_FACT_COLUMNS, type RelationshipFactTuple } from './relationship-facts.projection';

const TABLE = 'relationship_evidence';

/** A stored summary as ReadModels returns it: valid for queries at `derivedAt` ≤ now < `nextFiringAt` while `revision` is current. */
export interface StoredEvidenceRow {
  relationshipId: string;
  revision: number;
  derivedAt: number;
  /** Infinity when no time-triggered rule can fire without a new fact. */
  nextFiringAt: number;
  /** As the facts spell it (the key is lower case). */
  summaryRelationshipId: string | null;
  policy: string;
  summary: Uint8Array;
}

/**
 * The evidence summary of every relationship (EvidenceSummary, encoded by
 * encodeSummary), so that a server answers its first program-wide query after
 * a start as fast as the next instead of deriving every relationship's
 * evidence from its facts. A batch marks the relationships it touched (their
 * summary is then missing); refresh derives missing summaries, and those a
 * time-triggered rule made stale (next_firing_at passed), as of the instant
 * given. Readers use a row only while it is exactly what a fresh derivation
 * would give, so a row not yet refreshed is never wrong, only not used.
 */
export const relationshipEvidenceProjection: Projection = {
  name: TABLE,
  version: 1,
  tables: [
    `CREATE TABLE IF NOT EXISTS ${TABLE} (relationship_id TEXT PRIMARY KEY, program_id TEXT, revision INTEGER NOT NULL, ` +
      // NULL summary: to derive. next_firing_at NULL: no rule can fire without a new fact (Infinity).
      'derived_at REAL, next_firing_at REAL, summary_relationship_id TEXT, policy TEXT, summary BLOB)',
  ],
  indexes: [
    `CREATE INDEX IF NOT EXISTS ${TABLE}_by_program_id ON ${TABLE} (program_id)`,
    // What refresh looks for, without reading the rows (each holds a summary of some kilobytes).
    `CREATE INDEX IF NOT EXISTS ${TABLE}_missing ON ${TABLE} (relationship_id) WHERE summary IS NULL`,
    `CREATE INDEX IF NOT EXISTS ${TABLE}_by_next_firing_at ON ${TABLE} (next_firing_at, relationship_id)`,
  ],
  prepare(db: Database.Database, context?: WriterContext): ProjectionWriter {
    const touch = db.prepare(
      `INSERT INTO ${TABLE} (relationship_id, program_id, revision) VALUES (?, ?, ?) ON CONFLICT (relationship_id) DO UPDATE SET ` +
        'program_id = coalesce(excluded.program_id, program_id), revision = max(revision, excluded.revision), ' +
        'derived_at = NULL, next_firing_at = NULL, summary_relationship_id = NULL, policy = NULL, summary = NULL',
    );
    const missing = db.prepare(`SELECT relationship_id FROM ${TABLE} WHERE summary IS NULL LIMIT ?`).pluck(true);
    const expired = db
      .prepare(`SELECT relationship_id FROM ${TABLE} WHERE next_firing_at <= ? ORDER BY next_firing_at LIMIT ?`)
      .pluck(true);
    const facts = db
      .prepare(
        `SELECT ${RELATIONSHIP_FACT_COLUMNS} FROM relationship_facts WHERE relationship_id = ? ORDER BY position`,
      )
      .raw(true)
      .safeIntegers(true);
    const factsAfter = db
      .prepare(
        `SELECT ${RELATIONSHIP_FACT_COLUMNS} FROM relationship_facts WHERE relationship_id = ? AND position > ? ` +
          'ORDER BY position',
      )
      .raw(true)
      .safeIntegers(true);
    // The facts of the relationships derived lately, as read then: facts rows are only ever added, in position
    // order, so deriving one again reads only the rows after the last one held, not its whole history.
    const held = new DocumentCache<Recorded<RelationshipEvent>[]>(PROJECTION_TUNING.evidenceFactsHeld);
    // A rebuild: each relationship's facts rows, kept as they are written (see FactsKept), not read back.
    const kept = context?.rebuild === true ? new FactsKept(db, context.keptBytes) : null;
    const factsOf = (id: string): Recorded<RelationshipEvent>[] => {
      const whole = kept?.take(id);
      if (whole !== undefined) return whole;
      const known = held.get(id);
      const rows = (
        known === undefined ? facts.all(id) : factsAfter.all(id, known[known.length - 1].position)
      ) as RelationshipFactTuple[];
      if (known !== undefined && rows.length === 0) return known;
      const all = known ?? [];
      for (const row of rows) all.push(factOfRow(row));
      if (all.length > 0) held.set(id, all, all.length);
      return all;
    };
    const store = db.prepare(
      `UPDATE ${TABLE} SET derived_at = ?, next_firing_at = ?, summary_relationship_id = ?, policy = ?, summary = ? ` +
        'WHERE relationship_id = ?',
    );
    // Relationship → [program (from its start), last revision], written at flush.
    const touched = new Map<string, [string | null, number]>();
    return {
      apply(events) {
        for (const event of events) {
          const fact = domainFact(event, 'relationship');
          if (fact === null || event.stream === null) continue;
          const programId = fact.event.type === 'RelationshipStarted' ? fact.event.data.programId.toLowerCase() : null;
          kept?.add(event.stream.id, fact);
          // Changed in place: one entry per relationship, not one per fact (a rebuild's 200,000 facts).
          const before = touched.get(event.stream.id);
          if (before === undefined) touched.set(event.stream.id, [programId, fact.revision]);
          else {
            before[0] = programId ?? before[0];
            before[1] = Math.max(fact.revision, before[1]);
          }
        }
      },
      flush() {
        for (const [id, [programId, revision]] of touched) touch.run(id, programId, revision);
        touched.clear();
      },
      rollback() {
        touched.clear();
        // Another writer of the file may follow (ReadModelDatabase rolls back before it does): read afresh.
        held.clear();
        kept?.stop();
      },
      refresh(now, limit) {
        const ids = missing.all(limit) as string[];
        if (ids.length < limit) ids.push(...(expired.all(now, limit - ids.length) as string[]));
        for (const id of ids) {
          const evidence = deriveEvidence(factsOf(id), now);
          const summary = summarizeEvidence(evidence);
          const next = summary.nextFiringAt === Infinity ? null : summary.nextFiringAt;
          store.run(now, next, summary.relationshipId, summary.policy.version, encodeSummary(summary), id);
        }
        return ids.length;
      },
    };
  },
};
