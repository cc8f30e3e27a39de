import DataLoader from 'dataloader';
import type { ParticipantModel } from '../participants/participant.model';
import type { ProgramModel } from '../programs/program.model';
import type { RelationshipModel } from '../relationships/relationship.model';
import type { Views } from './views.service';

/** Per-request batching of lookups inside lists (a page of relationships asks for its mentors once). */
export interface Loaders {
  program: DataLoader<string, ProgramModel | null>;
  participant: DataLoader<string, ParticipantModel | null>;
  relationship: DataLoader<string, RelationshipModel | null>;
}

export function createLoaders(views: Views): Loaders {
  return {
    program: new DataLoader((ids) => views.programsById(ids)),
    participant: new DataLoader((ids) => views.participantsById(ids)),
    relationship: new DataLoader((ids) => views.relationshipsById(ids)),
  };
}
