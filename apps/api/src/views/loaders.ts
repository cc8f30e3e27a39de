import DataLoader from 'dataloader';
import type { EvidenceSummary, RelationshipEvidence } from '@trustline/domain';
import type { ParticipantModel } from '../participants/participant.model';
import type { ProgramModel } from '../programs/program.model';
import type { RelationshipModel } from '../relationships/relationship.model';
import type { Views } from './views.service';

/** Per-request batching of lookups inside lists (a page of relationships asks for its mentors once). */
export interface Loaders {
  program: DataLoader<string, ProgramModel | null>;
  participant: DataLoader<string, ParticipantModel | null>;
  relationship: DataLoader<string, RelationshipModel | null>;
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
    relationship: new DataLoader((ids) => views.relationshipsById(ids, now)),
    evidence: new DataLoader((ids) => views.evidenceById(ids, now)),
    summary: new DataLoader((ids) => views.summariesById(ids, now)),
  };
}
