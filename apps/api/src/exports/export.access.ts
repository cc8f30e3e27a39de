import type { Viewer } from '../auth/viewer';

// Who may download which CSV: exactly who may read the GraphQL field it
// mirrors (authorization.md §2): `program.trustTrend` for the trend,
// `relationship.trustTrajectory(direction)` for a trajectory. Kept in one
// place so it is rewired to the access policy (@trustline/access) when that
// lands, without touching the controller.

export type ExportDecision = 'allowed' | 'forbidden';

const auditorReads = (viewer: Viewer, programId: string) =>
  viewer.roles.includes('AUDITOR') && (viewer.programIds.length === 0 || viewer.programIds.map((id) => id.toLowerCase()).includes(programId));
const managerOf = (viewer: Viewer, programId: string) =>
  viewer.roles.includes('PROGRAM_MANAGER') && viewer.programIds.map((id) => id.toLowerCase()).includes(programId);

/** Program analytics: staff only; participants are refused however they ask. */
export function mayReadProgramTrend(viewer: Viewer, programId: string): ExportDecision {
  const program = programId.toLowerCase();
  return viewer.roles.includes('ADMIN') || auditorReads(viewer, program) || managerOf(viewer, program) ? 'allowed' : 'forbidden';
}

/** A trajectory: staff see both directions; a party only the trust it places (MENTEE_IN_MENTOR for the mentee). */
export function mayReadTrajectory(
  viewer: Viewer,
  relationship: { programId: string; mentorId: string; menteeId: string },
  direction: 'MENTEE_IN_MENTOR' | 'MENTOR_IN_MENTEE',
): ExportDecision {
  if (mayReadProgramTrend(viewer, relationship.programId) === 'allowed') return 'allowed';
  const participant = viewer.participantId?.toLowerCase();
  if (!participant || !(viewer.roles.includes('MENTOR') || viewer.roles.includes('MENTEE'))) return 'forbidden';
  if (participant === relationship.menteeId.toLowerCase() && direction === 'MENTEE_IN_MENTOR') return 'allowed';
  if (participant === relationship.mentorId.toLowerCase() && direction === 'MENTOR_IN_MENTEE') return 'allowed';
  return 'forbidden';
}

/** Whether an unknown id may be answered as such (404) rather than refused (403), so a refusal never tells what exists. */
export const mayLearnAbsence = (viewer: Viewer): boolean =>
  viewer.roles.includes('ADMIN') || (viewer.roles.includes('AUDITOR') && viewer.programIds.length === 0);
