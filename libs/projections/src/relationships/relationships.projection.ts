import { assertNever } from '@trustline/domain';
import {
  evolveRelationship,
  initialRelationshipState,
  type ExistingRelationship,
  type RelationshipStatusAt,
} from '@trustline/domain/relationship/relationship.state';
import { defineDocumentProjection } from '../runner/document.projection';

/** The relationship decider's own state: promises, meetings, pauses, end. */
export type RelationshipView = ExistingRelationship;

/**
 * The status as recorded: PAUSED from a pause until it is resumed, even once
 * the pause's `until` has passed (the API judges that against its clock).
 */
export const storedStatus = (view: RelationshipView): RelationshipStatusAt => {
  switch (view.status) {
    case 'active':
      return 'ACTIVE';
    case 'paused':
      return 'PAUSED';
    case 'ended':
      return 'ENDED';
    default:
      return assertNever(view);
  }
};

export const relationshipsProjection = defineDocumentProjection<RelationshipView, 'relationship'>({
  name: 'relationships',
  version: 1,
  streamType: 'relationship',
  evolve: (view, fact) => {
    const next = evolveRelationship(view ?? initialRelationshipState(), fact.event);
    return next.status === 'none' ? null : next;
  },
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
