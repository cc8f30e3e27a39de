import {
  at,
  fixtureIds,
  meetingHeld,
  meetingScheduled,
  mentorMotivesAssessed,
  promiseKept,
  promiseMade,
  ProjectionSpecification,
  recordAll,
  relationshipEnded,
  relationshipPaused,
  relationshipResumed,
  relationshipStarted,
  trustCheckInSubmitted,
} from '@trustline/testing';
import { documentFold } from '../runner/document.projection';
import { evolveRelationshipView, storedStatus, type RelationshipView } from './relationship.view';
import { relationshipsProjection } from './relationships.projection';

const spec = relationshipsProjection.spec;
const relationships = ProjectionSpecification.for(documentFold(spec, fixtureIds.relationship));

const story = [
  relationshipStarted(),
  mentorMotivesAssessed(),
  promiseMade(),
  meetingScheduled(),
  trustCheckInSubmitted(),
  meetingHeld(),
  promiseKept(),
];

const columnsOf = (view: RelationshipView) =>
  Object.fromEntries(Object.entries(spec.columns).map(([name, column]) => [name, column.value(view)]));

describe('the relationships read model', () => {
  it('holds exactly the relationship view folded from the same stream', () => {
    const expected = story.reduce<RelationshipView | null>(evolveRelationshipView, null);
    relationships.given(recordAll(story)).thenState((doc) => expect(doc?.state).toEqual(expected));
  });

  it('remembers the revision of the last fact and the position of the start', () => {
    relationships
      .given(recordAll(story, { firstPosition: 100n }))
      .thenMatches({ revision: story.length - 1, position: 100n });
  });

  it('ignores every fact delivered twice', () => {
    relationships.given(recordAll(story)).thenIgnoresRedelivery();
  });

  it('shows nothing for facts of a relationship whose start it has not seen', () => {
    relationships.given(recordAll([promiseMade()], { firstRevision: 3 })).then(null);
  });

  it('indexes program, status, start and both parties', () => {
    relationships.given(recordAll(story)).thenState((doc) => {
      expect(doc && columnsOf(doc.state)).toEqual({
        program_id: fixtureIds.program,
        status: 'ACTIVE',
        started_at: at(1),
        mentor_id: fixtureIds.mentor,
        mentee_id: fixtureIds.mentee,
      });
    });
  });
});

describe('the stored status of a relationship', () => {
  const statusAfter = (...facts: Parameters<typeof evolveRelationshipView>[1][]) => {
    const state = [relationshipStarted(), ...facts].reduce<RelationshipView | null>(evolveRelationshipView, null);
    if (state === null) throw new Error('the relationship did not start');
    return storedStatus(state);
  };

  it('is ACTIVE once started', () => {
    expect(statusAfter()).toBe('ACTIVE');
  });

  it('stays PAUSED until resumed, even after the pause was due to end', () => {
    expect(statusAfter(relationshipPaused({ occurredAt: at(5), until: at(6) }))).toBe('PAUSED');
  });

  it('is ACTIVE again once resumed', () => {
    expect(statusAfter(relationshipPaused({ occurredAt: at(5) }), relationshipResumed({ occurredAt: at(7) }))).toBe(
      'ACTIVE',
    );
  });

  it('is ENDED once ended', () => {
    expect(statusAfter(relationshipEnded())).toBe('ENDED');
  });
});
