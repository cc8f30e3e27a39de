import DataLoader from 'dataloader';
import type { EvidenceSummary, RelationshipEvidence } from '@trustline/domain';
import type { ParticipantView, ProgramView, RelationshipView } from '@trustline/projections';
import type { Views } from './views.service';

/**
 * Per-request batching of lookups inside lists (a page of relationships asks for its mentors once).
 * They answer with read-model views; the resolvers shape them as GraphQL models.
 */
export interface Loaders {
  program: DataLoader<string, ProgramView | null>;
  participant: DataLoader<string, ParticipantView | null>;
  relationship: DataLoader<string, RelationshipView | null>;
  /** Each relationship's trust evidence, derived once per request up to the request's clock: for trajectories. */
  evidence: DataLoader<string, RelationshipEvidence>;
  /** The summary of that evidence, kept between requests while current: for scores and cadence. */
  summary: DataLoader<string, EvidenceSummary>;
}

/** `now`: the request's instant. */
export function createLoaders(views: Views, now: number): Loaders {
  return {
    program: new DataLoader((ids) => views.programsById(ids)),
    participant: new DataLoader((ids) => views.participantsById(ids)),
    relationship: new DataLoader((ids) => views.relationshipsById(ids)),
    evidence: new DataLoader((ids) => views.evidenceById(ids, now)),
    summary: new DataLoader((ids) => views.summariesById(ids, now)),
  };
}
