import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  decodeSummary,
  deriveEvidence,
  type EvidenceSummary,
  type Recorded,
  type RelationshipEvent,
  summarizeEvidence,
} from '@trustline/domain';
import { DocumentCache, ReadModels, type StoredEvidenceRow } from '@trustline/projections';

export const EVIDENCE_CACHE_TUNING = {
  /**
   * Relationships whose summaries are kept; beyond it, one not used since it
   * was last passed over goes first. A summary of a hundred facts takes about 6 KB.
   */
  maxRelationships: 50_000,
  /**
   * When more than this share of a program's relationships has no current
   * summary, one scan of the program's facts is cheaper than a query each.
   */
  programScanFromShare: 0.2,
} as const;

interface Entry {
  /** The relationship's stream revision the summary was derived at. */
  readonly revision: number;
  readonly summary: EvidenceSummary;
}

/**
 * Program-wide figures read every relationship of a program; deriving each
 * one's evidence from its facts on every query is far too slow for large
 * programs, so the summaries are kept between queries. A kept summary is used
 * only while it is exactly what a fresh derivation would give: the
 * relationship's revision is unchanged (no fact projected since, whatever
 * read database answers) and no time-triggered rule has fallen due.
 * Missing ones come from the read database's relationship_evidence rows
 * (kept by the projection runner, so a restarted server starts warm), under
 * the same rule, and are derived from the facts only when none is current.
 */
@Injectable()
export class EvidenceSummaries implements OnApplicationBootstrap {
  protected readonly capacity: number = EVIDENCE_CACHE_TUNING.maxRelationships;
  // One unit per relationship: DocumentCache's second chance (a summary used since it was last passed over stays
  // another round). Made when first used, so that a subclass's capacity is the one it holds.
  private cache?: DocumentCache<Entry>;
  private get entries(): DocumentCache<Entry> {
    return (this.cache ??= new DocumentCache<Entry>(this.capacity));
  }

  constructor(private readonly readModels: ReadModels) {}

  /**
   * Loads the stored summaries before the server answers (about 0.6 s for
   * 10,000 relationships here), so that the first program-wide query after a
   * start costs what the next does. Each is checked again when used.
   */
  onApplicationBootstrap(): void {
    const started = Date.now();
    const loaded = this.warm(started);
    new Logger('EvidenceSummaries').log(`${loaded} stored evidence summaries loaded in ${Date.now() - started} ms`);
  }

  /** Keeps the stored summaries still current at `now`, up to the capacity; returns how many. */
  warm(now: number): number {
    let loaded = 0;
    for (const stored of this.readModels.storedEvidenceStillCurrent(now, this.capacity)) {
      if (now < stored.derivedAt) continue;
      const summary = decodeSummary(stored.summary, stored.summaryRelationshipId, stored.policy);
      if (summary === null) continue;
      this.remember(stored.relationshipId, stored.revision, summary);
      loaded++;
    }
    return loaded;
  }

  /** One summary per relationship of the program, as of `now`, in start order. */
  ofProgram(programId: string, now: number): EvidenceSummary[] {
    const relationships = this.readModels.relationshipRevisions(programId);
    const summaries: (EvidenceSummary | undefined)[] = relationships.map(({ id, revision }) =>
      this.current(id, revision, now),
    );
    const missing = new Map<string, number>();
    summaries.forEach((summary, index) => {
      if (summary === undefined) missing.set(relationships[index].id, index);
    });
    if (missing.size > 0) {
      for (const stored of this.readModels.storedEvidenceOfProgram(programId)) {
        const index = missing.get(stored.relationshipId);
        if (index === undefined) continue;
        const summary = this.fromStore(stored, relationships[index].revision, now);
        if (summary === null) continue;
        summaries[index] = summary;
        missing.delete(stored.relationshipId);
      }
    }
    if (missing.size > relationships.length * EVIDENCE_CACHE_TUNING.programScanFromShare) {
      for (const [id, facts] of this.readModels.eachRelationshipFactsOfProgram(programId)) {
        const index = missing.get(id);
        if (index === undefined) continue;
        summaries[index] = this.keep(id, relationships[index].revision, facts, now);
        missing.delete(id);
      }
    }
    for (const [id, index] of missing) {
      summaries[index] = this.keep(id, relationships[index].revision, this.readModels.relationshipFacts(id), now);
    }
    return summaries as EvidenceSummary[];
  }

  /**
   * The summary of one relationship as of `now`; null when it is unknown.
   * `revisionRead`: the relationship's revision as this request already read it from the read database (for its
   * view). A summary kept at that revision is answered without reading it again, so view and trust are of the same
   * facts; any other case reads the revision afresh, as without it.
   */
  of(relationshipId: string, now: number, revisionRead?: number): EvidenceSummary | null {
    const id = relationshipId.toLowerCase();
    if (revisionRead !== undefined) {
      const kept = this.current(id, revisionRead, now);
      if (kept !== undefined) return kept;
    }
    const revision = this.readModels.relationshipRevision(relationshipId);
    if (revision === null) return null;
    const current = this.current(id, revision, now);
    if (current !== undefined) return current;
    const stored = this.readModels.storedEvidence(id);
    return (
      (stored && this.fromStore(stored, revision, now)) ??
      this.keep(id, revision, this.readModels.relationshipFacts(id), now)
    );
  }

  /** The stored summary, kept, when it is what a derivation as of `now` would give; null otherwise. */
  private fromStore(stored: StoredEvidenceRow, revision: number, now: number): EvidenceSummary | null {
    if (stored.revision !== revision || now < stored.derivedAt || now >= stored.nextFiringAt) return null;
    const summary = decodeSummary(stored.summary, stored.summaryRelationshipId, stored.policy);
    if (summary === null) return null;
    this.remember(stored.relationshipId, revision, summary);
    return summary;
  }

  private current(id: string, revision: number, now: number): EvidenceSummary | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    const { summary } = entry;
    if (entry.revision !== revision || now < summary.now || now >= summary.nextFiringAt) return undefined;
    return summary;
  }

  private keep(id: string, revision: number, facts: Recorded<RelationshipEvent>[], now: number): EvidenceSummary {
    const summary = summarizeEvidence(deriveEvidence(facts, now));
    this.remember(id, revision, summary);
    return summary;
  }

  private remember(id: string, revision: number, summary: EvidenceSummary): void {
    this.entries.set(id, { revision, summary }, 1);
  }
}
