import { TRUST_COMPONENTS, TRUST_POLICY_V1 } from './trust.policy';

describe('policy v1', () => {
  it('names itself, so every score can say which rules produced it', () => {
    expect(TRUST_POLICY_V1.version).toBe('v1');
  });

  it('weighs the three components to a whole', () => {
    const total = TRUST_COMPONENTS.reduce((sum, component) => sum + TRUST_POLICY_V1.componentWeights[component], 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('carries the figures of the normative rule table', () => {
    const table = Object.entries(TRUST_POLICY_V1.rules).map(([rule, { component, positive, negative }]) =>
      [rule, component, positive, negative].join(' '),
    );
    expect(table).toEqual([
      'promise.kept-on-time INTEGRITY 1 0',
      'promise.kept-late INTEGRITY 0.5 0.5',
      'promise.kept-very-late INTEGRITY 0.5 0',
      'promise.broken INTEGRITY 0 1.5',
      'promise.overdue INTEGRITY 0 1.5',
      'promise.renegotiated INTEGRITY 0 0.25',
      'promise.renegotiated-late INTEGRITY 0 0.75',
      'meeting.punctual INTEGRITY 1 0',
      'meeting.late INTEGRITY 0.5 0.5',
      'meeting.very-late INTEGRITY 0 1',
      'meeting.no-show INTEGRITY 0 2',
      'meeting.cancelled INTEGRITY 0 0.25',
      'meeting.cancelled-late INTEGRITY 0 0.75',
      'meeting.cancelled-last-minute INTEGRITY 0 1.5',
      'meeting.rescheduled-late INTEGRITY 0 0.5',
      'meeting.initiative BENEVOLENCE 0.5 0',
      'cadence.kept BENEVOLENCE 1 0',
      'cadence.gap BENEVOLENCE 0 1',
      'motives.development-first BENEVOLENCE 1 0',
      'motives.self-first BENEVOLENCE 0 1',
    ]);
  });
});
