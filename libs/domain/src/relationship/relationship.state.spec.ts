import {
  at,
  fixtureIds,
  meetingCancelled,
  meetingRescheduled,
  meetingScheduled,
  mentorMotivesAssessed,
  ProjectionSpecification,
  promiseKept,
  promiseMade,
  promiseRenegotiated,
  relationshipEnded,
  relationshipPaused,
  relationshipResumed,
  relationshipStarted,
  trustCheckInSubmitted,
} from '@trustline/testing';
import { evolveRelationship, initialRelationshipState } from './relationship.state';

// The decision state is specified here by what it holds; what the decider
// makes of it is specified by the decider specs, whose given events it folds.
const state = ProjectionSpecification.for({ initialState: initialRelationshipState, evolve: evolveRelationship });
const started = relationshipStarted({ occurredAt: at(1) });

describe('the decision state of a relationship', () => {
  it('is nothing before the start, whatever else was recorded', () => {
    state.given([promiseMade(), meetingScheduled()]).then({ status: 'none' });
  });

  it('holds, once started, only what the decider judges by', () => {
    state.given([started]).then({
      status: 'active',
      startedAt: at(1),
      pauses: [],
      promises: [],
      meetings: [],
      lastFactAt: at(1),
      lastActivityAt: at(1),
    });
  });

  it('holds each promise: who owes it, when it falls due, whether it is open, when it last changed', () => {
    state
      .given([
        started,
        promiseMade({ occurredAt: at(2), dueAt: at(9) }),
        promiseRenegotiated({ occurredAt: at(3), newDueAt: at(12) }),
      ])
      .thenMatches({
        promises: [{ id: fixtureIds.promise, promisor: 'MENTOR', dueAt: at(12), status: 'OPEN', lastChangeAt: at(3) }],
      });
    state
      .given([started, promiseMade(), promiseKept()])
      .thenMatches({ promises: [{ id: fixtureIds.promise, status: 'KEPT' }] });
  });

  it('holds each meeting: its start in force, its planned length, its standing, when it last changed', () => {
    state
      .given([
        started,
        meetingScheduled({ occurredAt: at(2) }),
        meetingRescheduled({ occurredAt: at(4), newStartsAt: at(9, 10) }),
      ])
      .thenMatches({
        meetings: [{ id: fixtureIds.meeting, startsAt: at(9, 10), status: 'SCHEDULED', lastChangeAt: at(4) }],
      });
    state
      .given([started, meetingScheduled(), meetingCancelled()])
      .thenMatches({ meetings: [{ id: fixtureIds.meeting, status: 'CANCELLED' }] });
  });

  it('counts check-ins and pauses as facts but not as activity a pause must follow', () => {
    state
      .given([started, mentorMotivesAssessed({ occurredAt: at(3) }), trustCheckInSubmitted({ occurredAt: at(5) })])
      .thenMatches({ lastFactAt: at(5), lastActivityAt: at(3) });
  });

  it('keeps every pause, and closes the latest on resume', () => {
    state
      .given([
        started,
        relationshipPaused({ occurredAt: at(10), until: null }),
        relationshipResumed({ occurredAt: at(15) }),
      ])
      .thenMatches({ status: 'active', pauses: [{ pausedAt: at(10), until: null, resumedAt: at(15) }] });
  });

  it('holds nothing once ended: no command is judged against an ended relationship', () => {
    state.given([started, promiseMade(), relationshipEnded()]).then({ status: 'ended' });
    state.given([started, relationshipEnded(), promiseMade(), relationshipPaused()]).then({ status: 'ended' });
  });
});
