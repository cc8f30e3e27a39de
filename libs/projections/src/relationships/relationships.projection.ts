import { defineDocumentProjection } from '../runner/document.projection';
import {
  evolveOwnedRelationshipView,
  evolveRelationshipView,
  type RelationshipView,
  storedStatus,
} from './relationship.view';

export const relationshipsProjection = defineDocumentProjection<RelationshipView, 'relationship'>({
  name: 'relationships',
  version: 1,
  streamType: 'relationship',
  evolve: (view, fact) => evolveRelationshipView(view, fact.event),
  evolveOwned: (view, fact) => evolveOwnedRelationshipView(view, fact.event),
  columns: {
    program_id: { type: 'TEXT', value: (view) => view.programId },
    status: { type: 'TEXT', value: storedStatus },
    started_at: { type: 'TEXT', value: (view) => view.startedAt },
    mentor_id: { type: 'TEXT', value: (view) => view.mentorId },
    mentee_id: { type: 'TEXT', value: (view) => view.menteeId },
  },
  indexes: [
    ['program_id', 'position'],
    ['program_id', 'status', 'position'],
    // Covers ReadModels.relationshipRevisions, read on every program-wide query: without it each of a
    // program's rows (its whole document) is read for two numbers, ~10× slower at 10,000 relationships.
    ['program_id', 'position', 'id', 'revision'],
    ['mentor_id'],
    ['mentee_id'],
  ],
});
