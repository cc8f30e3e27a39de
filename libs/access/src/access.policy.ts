import {
  type Caller,
  DIRECTION_PLACED_BY,
  type EndedBy,
  type Party,
  type ParticipantFacts,
  type ProgramFacts,
  type RelationshipFacts,
  type TrustDirection,
} from './access.facts';

// The one access policy of authorization.md §2–4: pure functions of the
// caller and stored facts, asked by every entry point (root-field guard, list
// filters, field resolvers, subscriptions, the write path, node lookups,
// exports). Nothing here reads a store or a clock.

/**
 * - `allow`: go ahead.
 * - `unknown`: the target does not exist and the caller may learn so (ADMIN,
 *   an AUDITOR of all programs, or an id its own claims name): null where the
 *   field is nullable, NOT_FOUND where it is not.
 * - `forbidden`: FORBIDDEN with null data, whether or not the target exists.
 */
export type AccessDecision =
  { outcome: 'allow' } | { outcome: 'unknown' } | { outcome: 'forbidden'; reason: string; rule?: 'party.not-yours' };

export const PARTY_NOT_YOURS = 'party.not-yours';

const ALLOW: AccessDecision = { outcome: 'allow' };
const UNKNOWN: AccessDecision = { outcome: 'unknown' };
const forbidden = (reason: string): AccessDecision => ({ outcome: 'forbidden', reason });
const notYourParty = (reason: string): AccessDecision => ({ outcome: 'forbidden', reason, rule: PARTY_NOT_YOURS });
const OUT_OF_SCOPE = 'Not within your access';

const same = (a: string | null | undefined, b: string | null | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
const includesId = (ids: readonly string[], id: string) => ids.some((candidate) => same(candidate, id));

// --- What the caller's roles cover -------------------------------------------------------------

const has = (caller: Caller, role: Caller['principal']['roles'][number]) => caller.principal.roles.includes(role);
const isAdmin = (caller: Caller) => has(caller, 'ADMIN');
/** An AUDITOR without programIds (or with an empty list) reads all programs. */
const auditsAll = (caller: Caller) => has(caller, 'AUDITOR') && caller.principal.programIds.length === 0;
const audits = (caller: Caller, programId: string) =>
  has(caller, 'AUDITOR') &&
  (caller.principal.programIds.length === 0 || includesId(caller.principal.programIds, programId));
const manages = (caller: Caller, programId: string) =>
  has(caller, 'PROGRAM_MANAGER') && includesId(caller.principal.programIds, programId);
/** The participant the caller is (MENTOR and MENTEE both mean "the participant participantId"). */
const participantIdOf = (caller: Caller): string | null =>
  (has(caller, 'MENTOR') || has(caller, 'MENTEE')) && caller.principal.participantId
    ? caller.principal.participantId
    : null;

/** ADMIN and an AUDITOR of all programs may learn that an id does not exist. */
export const seesEverything = (caller: Caller): boolean => isAdmin(caller) || auditsAll(caller);

/** Reads every record of the program, private content included: ADMIN and its auditors. */
const overseesFully = (caller: Caller, programId: string) => isAdmin(caller) || audits(caller, programId);

/** Program staff: ADMIN, its auditors and its managers (both trust directions, analytics). */
export const isStaffOf = (caller: Caller, programId: string): boolean =>
  overseesFully(caller, programId) || manages(caller, programId);

/** Which party of the relationship the caller is, from the stored relationship; null when neither. */
export function partyOf(caller: Caller, relationship: RelationshipFacts): Party | null {
  const participantId = participantIdOf(caller);
  if (same(participantId, relationship.mentorId)) return 'MENTOR';
  if (same(participantId, relationship.menteeId)) return 'MENTEE';
  return null;
}

// --- Reads (§2) --------------------------------------------------------------------------------

/** `programs`: every program, or the ids of those the caller may list (never refused as a whole). */
export function visiblePrograms(caller: Caller): 'ALL' | string[] {
  if (seesEverything(caller)) return 'ALL';
  const ids = new Set<string>();
  const { programIds } = caller.principal;
  if (has(caller, 'AUDITOR') || has(caller, 'PROGRAM_MANAGER')) programIds.forEach((id) => ids.add(id.toLowerCase()));
  if (
    participantIdOf(caller) !== null &&
    caller.participant &&
    same(caller.participant.participantId, participantIdOf(caller))
  ) {
    ids.add(caller.participant.programId.toLowerCase());
  }
  return [...ids];
}

/** `program(id)` and a program's own fields (name, cadence, session length, launch). */
export function canReadProgram(caller: Caller, programId: string, program: ProgramFacts | null): AccessDecision {
  const visible = visiblePrograms(caller);
  if (visible !== 'ALL' && !includesId(visible, programId)) return forbidden(OUT_OF_SCOPE);
  return program ? ALLOW : UNKNOWN;
}

/** `program.trustTrend`, `program.atRisk`, however reached: program staff only, never participants. */
export function canReadProgramAnalytics(caller: Caller, program: ProgramFacts): AccessDecision {
  return isStaffOf(caller, program.programId) ? ALLOW : forbidden('Program analytics are for program staff');
}

/** `participant(id)`: program staff, the participant itself and its counterparts (given the target's relationships). */
export function canReadParticipant(
  caller: Caller,
  participantId: string,
  participant: ParticipantFacts | null,
  relationshipsOfParticipant: readonly RelationshipFacts[],
): AccessDecision {
  if (!participant)
    return seesEverything(caller) || same(participantIdOf(caller), participantId) ? UNKNOWN : forbidden(OUT_OF_SCOPE);
  if (isStaffOf(caller, participant.programId)) return ALLOW;
  if (same(participantIdOf(caller), participant.participantId)) return ALLOW;
  const counterpart = relationshipsOfParticipant.some(
    (relationship) =>
      partyOf(caller, relationship) !== null &&
      (same(relationship.mentorId, participant.participantId) ||
        same(relationship.menteeId, participant.participantId)),
  );
  return counterpart ? ALLOW : forbidden(OUT_OF_SCOPE);
}

/** `Participant.email`: program staff and the participant itself; null for its counterparts. */
export function canReadParticipantEmail(caller: Caller, participant: ParticipantFacts): boolean {
  return isStaffOf(caller, participant.programId) || same(participantIdOf(caller), participant.participantId);
}

/** `relationship(id)`, `relationshipAsOf`, `verifyRelationshipHistory`, an element of `program.relationships`. */
export function canReadRelationship(caller: Caller, relationship: RelationshipFacts | null): AccessDecision {
  if (!relationship) return seesEverything(caller) ? UNKNOWN : forbidden(OUT_OF_SCOPE);
  if (isStaffOf(caller, relationship.programId) || partyOf(caller, relationship) !== null) return ALLOW;
  return forbidden(OUT_OF_SCOPE);
}

/** `verifyRelationshipHistory`: whoever may read the relationship. */
export const canVerifyRelationshipHistory = canReadRelationship;

/** `relationshipHistory` (raw events): ADMIN and the program's auditors only. */
export function canReadRelationshipHistory(caller: Caller, relationship: RelationshipFacts | null): AccessDecision {
  if (!relationship) return seesEverything(caller) ? UNKNOWN : forbidden(OUT_OF_SCOPE);
  if (overseesFully(caller, relationship.programId)) return ALLOW;
  return forbidden('Raw history is for administrators and auditors');
}

/**
 * Private content (promise descriptions, break/cancel/pause reasons, the
 * motive note): null for a program manager; the parties, ADMIN and auditors read it.
 */
export function canReadPrivateContent(caller: Caller, relationship: RelationshipFacts): boolean {
  return overseesFully(caller, relationship.programId) || partyOf(caller, relationship) !== null;
}

/** `trust` / `trustTrajectory` / a subscription point in one direction: staff both, a party only the trust it places. */
export function canReadTrust(caller: Caller, relationship: RelationshipFacts, direction: TrustDirection): boolean {
  if (isStaffOf(caller, relationship.programId)) return true;
  const party = partyOf(caller, relationship);
  return party !== null && DIRECTION_PLACED_BY[party] === direction;
}

/** The same as a decision, for a field refused at its path. */
export function canReadTrustDirection(
  caller: Caller,
  relationship: RelationshipFacts,
  direction: TrustDirection,
): AccessDecision {
  return canReadTrust(caller, relationship, direction)
    ? ALLOW
    : forbidden('A participant sees only the trust it places, never the trust placed in it');
}

// --- Subscriptions (§4) -------------------------------------------------------------------------

/** `trustChanged(R)`: as reading the relationship; each point then passes `canReadTrust`. */
export function canSubscribeToRelationship(caller: Caller, relationship: RelationshipFacts | null): AccessDecision {
  return canReadRelationship(caller, relationship);
}

/** `programTrustChanged(P)`: program staff only (ADMIN, its auditors, its managers). */
export function canSubscribeToProgram(caller: Caller, programId: string, program: ProgramFacts | null): AccessDecision {
  if (!isStaffOf(caller, programId)) return forbidden('Program-wide changes are for program staff');
  return program ? ALLOW : UNKNOWN;
}

// --- Writes (§3) -------------------------------------------------------------------------------

export type ProgramMutation = 'recordProgramCommunication' | 'registerParticipant' | 'startRelationship';
export type RelationshipMutation =
  | 'pauseRelationship'
  | 'resumeRelationship'
  | 'endRelationship'
  | 'makePromise'
  | 'scheduleMeeting'
  | 'rescheduleMeeting'
  | 'cancelMeeting'
  | 'submitTrustCheckIn'
  | 'keepPromise'
  | 'breakPromise'
  | 'renegotiatePromise'
  | 'recordMeetingHeld'
  | 'recordMeetingMissed'
  | 'assessMentorMotives';
export type AdminMutation = 'launchProgram' | 'eraseParticipant';
export type MutationName = AdminMutation | ProgramMutation | RelationshipMutation;

/** What a mutation acts on, resolved from stored facts (never from the input alone). */
export type WriteTarget =
  | { kind: 'none' }
  | {
      kind: 'program';
      programId: string;
      /**
       * Participants the command names (startRelationship's mentor and mentee)
       * as stored: each must exist in the same program, or it is out of scope.
       */
      participants?: readonly (ParticipantFacts | null)[];
    }
  | { kind: 'relationship'; relationship: RelationshipFacts | null };

type Grant = 'ADMIN' | 'PROGRAM_MANAGER' | 'PARTICIPANT';

interface MutationRule {
  grants: readonly Grant[];
  /** How the input's party (promisor, scheduledBy, by, respondent, endedBy) must relate to the caller. */
  party: 'any' | 'own' | 'mentor-only' | 'end';
}

/** authorization.md §3 as data: who may, and which party it may name. */
export const MUTATION_RULES: Readonly<Record<MutationName, MutationRule>> = {
  launchProgram: { grants: ['ADMIN'], party: 'any' },
  eraseParticipant: { grants: ['ADMIN'], party: 'any' },
  recordProgramCommunication: { grants: ['ADMIN', 'PROGRAM_MANAGER'], party: 'any' },
  registerParticipant: { grants: ['ADMIN', 'PROGRAM_MANAGER'], party: 'any' },
  startRelationship: { grants: ['ADMIN', 'PROGRAM_MANAGER'], party: 'any' },
  pauseRelationship: { grants: ['ADMIN', 'PROGRAM_MANAGER', 'PARTICIPANT'], party: 'any' },
  resumeRelationship: { grants: ['ADMIN', 'PROGRAM_MANAGER', 'PARTICIPANT'], party: 'any' },
  endRelationship: { grants: ['ADMIN', 'PROGRAM_MANAGER', 'PARTICIPANT'], party: 'end' },
  makePromise: { grants: ['ADMIN', 'PARTICIPANT'], party: 'own' },
  scheduleMeeting: { grants: ['ADMIN', 'PARTICIPANT'], party: 'own' },
  rescheduleMeeting: { grants: ['ADMIN', 'PARTICIPANT'], party: 'own' },
  cancelMeeting: { grants: ['ADMIN', 'PARTICIPANT'], party: 'own' },
  submitTrustCheckIn: { grants: ['ADMIN', 'PARTICIPANT'], party: 'own' },
  keepPromise: { grants: ['ADMIN', 'PARTICIPANT'], party: 'any' },
  breakPromise: { grants: ['ADMIN', 'PARTICIPANT'], party: 'any' },
  renegotiatePromise: { grants: ['ADMIN', 'PARTICIPANT'], party: 'any' },
  recordMeetingHeld: { grants: ['ADMIN', 'PARTICIPANT'], party: 'any' },
  recordMeetingMissed: { grants: ['ADMIN', 'PARTICIPANT'], party: 'any' },
  assessMentorMotives: { grants: ['ADMIN', 'PARTICIPANT'], party: 'mentor-only' },
};

const holds = (caller: Caller, grant: Grant) =>
  grant === 'PARTICIPANT' ? participantIdOf(caller) !== null : has(caller, grant);

/**
 * May the caller run this mutation on this target, naming this party?
 * Refusals of roles come first, then scope (an unknown target is out of
 * scope for everyone but ADMIN, whose command then answers NOT_FOUND), then
 * the party named (`party.not-yours`). The union of the caller's roles decides.
 */
export function canPerform(
  caller: Caller,
  mutation: MutationName,
  target: WriteTarget,
  party?: EndedBy | null,
): AccessDecision {
  const rule = MUTATION_RULES[mutation];
  const grants = rule.grants.filter((grant) => holds(caller, grant));
  if (grants.length === 0) return forbidden(`Your roles may not ${mutation}`);
  if (grants.includes('ADMIN')) return ALLOW;

  // The grants that apply to this very target, and as which party each acts.
  const acting: (Party | 'PROGRAM')[] = [];
  if (target.kind === 'program') {
    const participantsInProgram = (target.participants ?? []).every(
      (participant) => participant !== null && same(participant.programId, target.programId),
    );
    if (grants.includes('PROGRAM_MANAGER') && manages(caller, target.programId) && participantsInProgram)
      acting.push('PROGRAM');
  } else if (target.kind === 'relationship' && target.relationship) {
    if (grants.includes('PROGRAM_MANAGER') && manages(caller, target.relationship.programId)) acting.push('PROGRAM');
    const own = grants.includes('PARTICIPANT') ? partyOf(caller, target.relationship) : null;
    if (own) acting.push(own);
  }
  if (acting.length === 0) return forbidden(OUT_OF_SCOPE);

  const permitted = acting.some((as) => {
    switch (rule.party) {
      case 'any':
        return true;
      case 'own':
        return as !== 'PROGRAM' && party === as;
      case 'mentor-only':
        return as === 'MENTOR';
      case 'end':
        return party === as;
    }
  });
  if (permitted) return ALLOW;
  return rule.party === 'mentor-only'
    ? notYourParty('Only the mentor assesses its motives')
    : notYourParty(`You act only as your own party (${acting.join(' or ')}), not ${party ?? 'unnamed'}`);
}
