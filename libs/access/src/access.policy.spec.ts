import type { Caller, ParticipantFacts, RelationshipFacts } from './access.facts';
import {
  type AccessDecision,
  canPerform,
  canReadParticipant,
  canReadParticipantEmail,
  canReadPrivateContent,
  canReadProgram,
  canReadProgramAnalytics,
  canReadRelationship,
  canReadRelationshipHistory,
  canReadTrust,
  canSubscribeToProgram,
  canSubscribeToRelationship,
  canVerifyRelationshipHistory,
  MUTATION_RULES,
  type MutationName,
  visiblePrograms,
} from './access.policy';
import type { Role } from './principal';

// authorization.md §2–4 as tables: each row × each role × in and out of scope.
// R is a relationship of program P with mentor m and mentee e; o is another
// mentor of P (not of R); x a mentee of program Q.

const P = 'program-p';
const Q = 'program-q';
const R: RelationshipFacts = { relationshipId: 'rel-r', programId: P, mentorId: 'mentor-m', menteeId: 'mentee-e' };
const R2: RelationshipFacts = { relationshipId: 'rel-r2', programId: P, mentorId: 'mentor-o', menteeId: 'mentee-e2' };
const participants: Record<string, ParticipantFacts> = {
  'mentor-m': { participantId: 'mentor-m', programId: P },
  'mentee-e': { participantId: 'mentee-e', programId: P },
  'mentor-o': { participantId: 'mentor-o', programId: P },
  'mentee-x': { participantId: 'mentee-x', programId: Q },
};

const caller = (roles: Role[], claims: { participantId?: string; programIds?: string[] } = {}): Caller => ({
  principal: {
    subject: 'someone',
    roles,
    participantId: claims.participantId ?? null,
    programIds: claims.programIds ?? [],
  },
  participant: claims.participantId ? (participants[claims.participantId.toLowerCase()] ?? null) : null,
});

const CALLERS = {
  admin: caller(['ADMIN']),
  auditorAll: caller(['AUDITOR']),
  auditorP: caller(['AUDITOR'], { programIds: [P] }),
  auditorQ: caller(['AUDITOR'], { programIds: [Q] }),
  managerP: caller(['PROGRAM_MANAGER'], { programIds: [P] }),
  managerQ: caller(['PROGRAM_MANAGER'], { programIds: [Q] }),
  managerOfNothing: caller(['PROGRAM_MANAGER']),
  mentorM: caller(['MENTOR'], { participantId: 'mentor-m' }),
  menteeE: caller(['MENTEE'], { participantId: 'mentee-e' }),
  // The role does not say which party: the stored relationship does.
  menteeRoleOfMentorM: caller(['MENTEE'], { participantId: 'MENTOR-M' }),
  otherMentorO: caller(['MENTOR'], { participantId: 'mentor-o' }),
  outsiderX: caller(['MENTEE'], { participantId: 'mentee-x' }),
  participantWithoutRole: caller([], { participantId: 'mentee-e' }),
  noRoles: caller([]),
} as const;
type Who = keyof typeof CALLERS;
const EVERYONE = Object.keys(CALLERS) as Who[];

const STAFF_OF_P: Who[] = ['admin', 'auditorAll', 'auditorP', 'managerP'];
const PARTIES_OF_R: Who[] = ['mentorM', 'menteeE', 'menteeRoleOfMentorM'];
const SEES_EVERYTHING: Who[] = ['admin', 'auditorAll'];

const outcome = (decision: AccessDecision) => decision.outcome;

/** Each caller's expected outcome: `allowed` allow, every other caller `otherwise`. */
function table<T>(allowed: readonly Who[], yes: T, otherwise: T): [Who, T][] {
  return EVERYONE.map((who) => [who, allowed.includes(who) ? yes : otherwise]);
}

describe('the access policy', () => {
  describe('relationship(R), relationshipAsOf, verifyRelationshipHistory, trustChanged(R)', () => {
    it.each(table([...STAFF_OF_P, ...PARTIES_OF_R], 'allow', 'forbidden'))('%s: %s', (who, expected) => {
      expect(outcome(canReadRelationship(CALLERS[who], R))).toBe(expected);
      expect(outcome(canVerifyRelationshipHistory(CALLERS[who], R))).toBe(expected);
      expect(outcome(canSubscribeToRelationship(CALLERS[who], R))).toBe(expected);
    });

    it.each(table(SEES_EVERYTHING, 'unknown', 'forbidden'))(
      'an unknown id, %s: %s (never telling others what exists)',
      (who, expected) => {
        expect(outcome(canReadRelationship(CALLERS[who], null))).toBe(expected);
        expect(outcome(canVerifyRelationshipHistory(CALLERS[who], null))).toBe(expected);
      },
    );
  });

  describe('relationshipHistory(R): raw history for ADMIN and auditors only', () => {
    it.each(table(['admin', 'auditorAll', 'auditorP'], 'allow', 'forbidden'))('%s: %s', (who, expected) => {
      expect(outcome(canReadRelationshipHistory(CALLERS[who], R))).toBe(expected);
    });

    it.each(table(SEES_EVERYTHING, 'unknown', 'forbidden'))('an unknown id, %s: %s', (who, expected) => {
      expect(outcome(canReadRelationshipHistory(CALLERS[who], null))).toBe(expected);
    });
  });

  describe('private content of R (promise descriptions, reasons, motive note)', () => {
    it.each(table(['admin', 'auditorAll', 'auditorP', ...PARTIES_OF_R], true, false))(
      '%s reads it: %s',
      (who, expected) => {
        expect(canReadPrivateContent(CALLERS[who], R)).toBe(expected);
      },
    );
  });

  describe('trust of R: staff both directions, a party only the trust it places', () => {
    it.each(table([...STAFF_OF_P, 'menteeE'], true, false))('MENTEE_IN_MENTOR, %s: %s', (who, expected) => {
      expect(canReadTrust(CALLERS[who], R, 'MENTEE_IN_MENTOR')).toBe(expected);
    });

    it.each(table([...STAFF_OF_P, 'mentorM', 'menteeRoleOfMentorM'], true, false))(
      'MENTOR_IN_MENTEE, %s: %s',
      (who, expected) => {
        expect(canReadTrust(CALLERS[who], R, 'MENTOR_IN_MENTEE')).toBe(expected);
      },
    );
  });

  describe('program(P) and its own fields', () => {
    it.each(table([...STAFF_OF_P, ...PARTIES_OF_R, 'otherMentorO'], 'allow', 'forbidden'))(
      '%s: %s',
      (who, expected) => {
        expect(outcome(canReadProgram(CALLERS[who], P, { programId: P }))).toBe(expected);
      },
    );

    it('an unknown program is null to whoever may learn so, FORBIDDEN to the others', () => {
      expect(outcome(canReadProgram(CALLERS.admin, 'nope', null))).toBe('unknown');
      expect(outcome(canReadProgram(CALLERS.auditorAll, 'nope', null))).toBe('unknown');
      expect(outcome(canReadProgram(CALLERS.managerP, 'nope', null))).toBe('forbidden');
      expect(outcome(canReadProgram(CALLERS.mentorM, 'nope', null))).toBe('forbidden');
      // Its own claims name it: nothing is given away.
      expect(outcome(canReadProgram(CALLERS.managerP, P, null))).toBe('unknown');
    });
  });

  describe('program(P).trustTrend and atRisk, however reached: staff only', () => {
    it.each(table(STAFF_OF_P, 'allow', 'forbidden'))('%s: %s', (who, expected) => {
      expect(outcome(canReadProgramAnalytics(CALLERS[who], { programId: P }))).toBe(expected);
      expect(outcome(canSubscribeToProgram(CALLERS[who], P, { programId: P }))).toBe(expected);
    });
  });

  describe('programs: filtered to the caller, never refused', () => {
    it.each<[Who, 'ALL' | string[]]>([
      ['admin', 'ALL'],
      ['auditorAll', 'ALL'],
      ['auditorP', [P]],
      ['auditorQ', [Q]],
      ['managerP', [P]],
      ['managerOfNothing', []],
      ['mentorM', [P]],
      ['menteeE', [P]],
      ['outsiderX', [Q]],
      ['participantWithoutRole', []],
      ['noRoles', []],
    ])('%s lists %j', (who, expected) => {
      expect(visiblePrograms(CALLERS[who])).toEqual(expected);
    });

    it('a caller of several roles lists the union of theirs', () => {
      const both = caller(['PROGRAM_MANAGER', 'MENTEE'], { programIds: [Q], participantId: 'mentee-e' });
      expect(visiblePrograms(both)).toEqual([Q, P]);
    });
  });

  describe('program(P).relationships lists what each may read', () => {
    it.each<[Who, string[]]>([
      ['admin', ['rel-r', 'rel-r2']],
      ['auditorP', ['rel-r', 'rel-r2']],
      ['managerP', ['rel-r', 'rel-r2']],
      ['mentorM', ['rel-r']],
      ['otherMentorO', ['rel-r2']],
      ['outsiderX', []],
      ['managerQ', []],
    ])('%s: %j', (who, expected) => {
      expect(
        [R, R2].filter((r) => canReadRelationship(CALLERS[who], r).outcome === 'allow').map((r) => r.relationshipId),
      ).toEqual(expected);
    });
  });

  describe('participant(e): staff, itself and its counterparts', () => {
    const e = participants['mentee-e'];
    it.each(table([...STAFF_OF_P, ...PARTIES_OF_R], 'allow', 'forbidden'))('%s: %s', (who, expected) => {
      expect(outcome(canReadParticipant(CALLERS[who], e.participantId, e, [R]))).toBe(expected);
    });

    it('an unknown participant is null to whoever may learn so, FORBIDDEN to the others', () => {
      expect(outcome(canReadParticipant(CALLERS.admin, 'nope', null, []))).toBe('unknown');
      expect(outcome(canReadParticipant(CALLERS.managerP, 'nope', null, []))).toBe('forbidden');
    });

    it.each(table([...STAFF_OF_P, 'menteeE'], true, false))(
      'email of e, %s: %s (null for its counterparts)',
      (who, expected) => {
        expect(canReadParticipantEmail(CALLERS[who], e)).toBe(expected);
      },
    );
  });

  describe('mutations (§3)', () => {
    const onR = { kind: 'relationship', relationship: R } as const;
    const onUnknown = { kind: 'relationship', relationship: null } as const;
    const inP = { kind: 'program', programId: P } as const;

    it.each(table(['admin'], 'allow', 'forbidden'))('launchProgram and eraseParticipant, %s: %s', (who, expected) => {
      expect(outcome(canPerform(CALLERS[who], 'launchProgram', { kind: 'none' }))).toBe(expected);
      expect(outcome(canPerform(CALLERS[who], 'eraseParticipant', { kind: 'none' }))).toBe(expected);
    });

    it.each(['recordProgramCommunication', 'registerParticipant', 'startRelationship'] as const)(
      '%s in P: ADMIN and the manager of P',
      (mutation) => {
        for (const [who, expected] of table(['admin', 'managerP'], 'allow', 'forbidden')) {
          expect([who, outcome(canPerform(CALLERS[who], mutation, inP))]).toEqual([who, expected]);
        }
      },
    );

    it('startRelationship by a manager naming a participant of another program, or an unknown one, is FORBIDDEN', () => {
      const mentor = participants['mentor-m'];
      const foreign = participants['mentee-x'];
      expect(
        outcome(canPerform(CALLERS.managerP, 'startRelationship', { ...inP, participants: [mentor, foreign] })),
      ).toBe('forbidden');
      expect(outcome(canPerform(CALLERS.managerP, 'startRelationship', { ...inP, participants: [mentor, null] }))).toBe(
        'forbidden',
      );
      expect(
        outcome(
          canPerform(CALLERS.managerP, 'startRelationship', {
            ...inP,
            participants: [mentor, participants['mentee-e']],
          }),
        ),
      ).toBe('allow');
    });

    it.each(['pauseRelationship', 'resumeRelationship'] as const)(
      '%s on R: ADMIN, the manager of P, either party',
      (mutation) => {
        for (const [who, expected] of table(['admin', 'managerP', ...PARTIES_OF_R], 'allow', 'forbidden')) {
          expect([who, outcome(canPerform(CALLERS[who], mutation, onR))]).toEqual([who, expected]);
        }
      },
    );

    it.each(['keepPromise', 'breakPromise', 'renegotiatePromise', 'recordMeetingHeld', 'recordMeetingMissed'] as const)(
      '%s on R: ADMIN and either party',
      (mutation) => {
        for (const [who, expected] of table(['admin', ...PARTIES_OF_R], 'allow', 'forbidden')) {
          expect([who, outcome(canPerform(CALLERS[who], mutation, onR))]).toEqual([who, expected]);
        }
      },
    );

    it.each(['makePromise', 'scheduleMeeting', 'rescheduleMeeting', 'cancelMeeting', 'submitTrustCheckIn'] as const)(
      '%s on R: ADMIN as any party, a participant only as its own',
      (mutation) => {
        for (const party of ['MENTOR', 'MENTEE'] as const) {
          expect(outcome(canPerform(CALLERS.admin, mutation, onR, party))).toBe('allow');
          expect(outcome(canPerform(CALLERS.managerP, mutation, onR, party))).toBe('forbidden');
          expect(outcome(canPerform(CALLERS.auditorAll, mutation, onR, party))).toBe('forbidden');
          expect(outcome(canPerform(CALLERS.otherMentorO, mutation, onR, party))).toBe('forbidden');
        }
        expect(canPerform(CALLERS.mentorM, mutation, onR, 'MENTOR')).toEqual({ outcome: 'allow' });
        expect(canPerform(CALLERS.menteeE, mutation, onR, 'MENTEE')).toEqual({ outcome: 'allow' });
        expect(canPerform(CALLERS.menteeRoleOfMentorM, mutation, onR, 'MENTOR')).toEqual({ outcome: 'allow' });
        expect(canPerform(CALLERS.mentorM, mutation, onR, 'MENTEE')).toMatchObject({
          outcome: 'forbidden',
          rule: 'party.not-yours',
        });
        expect(canPerform(CALLERS.menteeE, mutation, onR, 'MENTOR')).toMatchObject({
          outcome: 'forbidden',
          rule: 'party.not-yours',
        });
      },
    );

    it('endRelationship: a manager ends only as PROGRAM, a participant only as its own party', () => {
      expect(outcome(canPerform(CALLERS.managerP, 'endRelationship', onR, 'PROGRAM'))).toBe('allow');
      expect(canPerform(CALLERS.managerP, 'endRelationship', onR, 'MENTOR')).toMatchObject({ rule: 'party.not-yours' });
      expect(outcome(canPerform(CALLERS.mentorM, 'endRelationship', onR, 'MENTOR'))).toBe('allow');
      expect(canPerform(CALLERS.mentorM, 'endRelationship', onR, 'PROGRAM')).toMatchObject({ rule: 'party.not-yours' });
      expect(canPerform(CALLERS.menteeE, 'endRelationship', onR, 'MENTOR')).toMatchObject({ rule: 'party.not-yours' });
      expect(outcome(canPerform(CALLERS.menteeE, 'endRelationship', onR, 'MENTEE'))).toBe('allow');
      expect(outcome(canPerform(CALLERS.managerQ, 'endRelationship', onR, 'PROGRAM'))).toBe('forbidden');
      expect(outcome(canPerform(CALLERS.auditorP, 'endRelationship', onR, 'PROGRAM'))).toBe('forbidden');
      for (const party of ['MENTOR', 'MENTEE', 'PROGRAM'] as const) {
        expect(outcome(canPerform(CALLERS.admin, 'endRelationship', onR, party))).toBe('allow');
      }
    });

    it('assessMentorMotives: the mentor only', () => {
      expect(outcome(canPerform(CALLERS.mentorM, 'assessMentorMotives', onR))).toBe('allow');
      expect(canPerform(CALLERS.menteeE, 'assessMentorMotives', onR)).toMatchObject({
        outcome: 'forbidden',
        rule: 'party.not-yours',
      });
      expect(outcome(canPerform(CALLERS.managerP, 'assessMentorMotives', onR))).toBe('forbidden');
    });

    it('a caller of two roles may do what either may (the union)', () => {
      const managerAndMentee = caller(['PROGRAM_MANAGER', 'MENTEE'], { programIds: [P], participantId: 'mentee-e' });
      expect(outcome(canPerform(managerAndMentee, 'endRelationship', onR, 'PROGRAM'))).toBe('allow');
      expect(outcome(canPerform(managerAndMentee, 'endRelationship', onR, 'MENTEE'))).toBe('allow');
      expect(outcome(canPerform(managerAndMentee, 'makePromise', onR, 'MENTEE'))).toBe('allow');
      expect(canPerform(managerAndMentee, 'makePromise', onR, 'MENTOR')).toMatchObject({ rule: 'party.not-yours' });
    });

    it.each(Object.keys(MUTATION_RULES) as MutationName[])(
      '%s on an unknown relationship: ADMIN goes on (its command answers NOT_FOUND), everyone else FORBIDDEN',
      (mutation) => {
        for (const who of EVERYONE) {
          const expected = who === 'admin' ? 'allow' : 'forbidden';
          expect([who, outcome(canPerform(CALLERS[who], mutation, onUnknown, 'MENTOR'))]).toEqual([who, expected]);
        }
      },
    );

    it('refusals of roles come first: an auditor is refused without a party rule', () => {
      expect(canPerform(CALLERS.auditorP, 'makePromise', onR, 'MENTOR')).toEqual(
        expect.not.objectContaining({ rule: expect.anything() }),
      );
    });
  });
});
