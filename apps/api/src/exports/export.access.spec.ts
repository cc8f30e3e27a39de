import type { Viewer } from '../auth/viewer';
import { mayLearnAbsence, mayReadProgramTrend, mayReadTrajectory } from './export.access';

const program = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const relationship = { programId: program, mentorId: 'mentor-1', menteeId: 'mentee-1' };
const viewer = (overrides: Partial<Viewer>): Viewer => ({ subject: 's', roles: [], participantId: null, programIds: [], ...overrides });

describe('who may download a program trend', () => {
  it.each([
    ['an administrator', viewer({ roles: ['ADMIN'] }), 'allowed'],
    ['an auditor of all programs', viewer({ roles: ['AUDITOR'] }), 'allowed'],
    ['an auditor narrowed to this program', viewer({ roles: ['AUDITOR'], programIds: [program.toUpperCase()] }), 'allowed'],
    ['an auditor narrowed to another program', viewer({ roles: ['AUDITOR'], programIds: ['other'] }), 'forbidden'],
    ['its program manager', viewer({ roles: ['PROGRAM_MANAGER'], programIds: [program] }), 'allowed'],
    ['another program’s manager', viewer({ roles: ['PROGRAM_MANAGER'], programIds: ['other'] }), 'forbidden'],
    ['a participant of the program', viewer({ roles: ['MENTEE'], participantId: 'mentee-1' }), 'forbidden'],
  ])('%s: %s', (_, who, decision) => {
    expect(mayReadProgramTrend(who, program)).toBe(decision);
  });
});

describe('who may download a trajectory', () => {
  it('staff read both directions', () => {
    const manager = viewer({ roles: ['PROGRAM_MANAGER'], programIds: [program] });
    expect(mayReadTrajectory(manager, relationship, 'MENTEE_IN_MENTOR')).toBe('allowed');
    expect(mayReadTrajectory(manager, relationship, 'MENTOR_IN_MENTEE')).toBe('allowed');
  });

  it('a party reads only the trust it places, never the trust placed in it', () => {
    const mentee = viewer({ roles: ['MENTEE'], participantId: 'mentee-1' });
    const mentor = viewer({ roles: ['MENTOR'], participantId: 'mentor-1' });
    expect(mayReadTrajectory(mentee, relationship, 'MENTEE_IN_MENTOR')).toBe('allowed');
    expect(mayReadTrajectory(mentee, relationship, 'MENTOR_IN_MENTEE')).toBe('forbidden');
    expect(mayReadTrajectory(mentor, relationship, 'MENTOR_IN_MENTEE')).toBe('allowed');
    expect(mayReadTrajectory(mentor, relationship, 'MENTEE_IN_MENTOR')).toBe('forbidden');
  });

  it('anyone else is refused', () => {
    expect(mayReadTrajectory(viewer({ roles: ['MENTEE'], participantId: 'someone' }), relationship, 'MENTEE_IN_MENTOR')).toBe('forbidden');
  });
});

describe('an unknown id', () => {
  it('is answered as unknown only to those who read everything', () => {
    expect(mayLearnAbsence(viewer({ roles: ['ADMIN'] }))).toBe(true);
    expect(mayLearnAbsence(viewer({ roles: ['AUDITOR'] }))).toBe(true);
    expect(mayLearnAbsence(viewer({ roles: ['AUDITOR'], programIds: [program] }))).toBe(false);
    expect(mayLearnAbsence(viewer({ roles: ['PROGRAM_MANAGER'], programIds: [program] }))).toBe(false);
  });
});
