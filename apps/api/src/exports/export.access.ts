import {
  type AccessDecision,
  canReadProgram,
  canReadProgramAnalytics,
  canReadRelationship,
  canReadTrustDirection,
  type Caller,
  type RelationshipFacts,
  type TrustDirection,
} from '@trustline/access';
import type { ScopeFacts } from '../auth/scope-facts.service';

// Who may download which CSV: exactly who may read the GraphQL field it
// mirrors, decided by the one access policy from stored facts: the root
// (`program(id)`, `relationship(id)`) first, then the field
// (`program.trustTrend`, `trustTrajectory(direction)`).

export type ExportVerdict<T> =
  { outcome: 'allow'; target: T } | { outcome: 'unknown' } | { outcome: 'forbidden'; reason: string };

const refused = (decision: AccessDecision): ExportVerdict<never> | null =>
  decision.outcome === 'forbidden'
    ? { outcome: 'forbidden', reason: decision.reason }
    : decision.outcome === 'unknown'
      ? { outcome: 'unknown' }
      : null;

export async function programTrendAccess(
  caller: Caller,
  facts: ScopeFacts,
  programId: string,
): Promise<ExportVerdict<{ programId: string }>> {
  const program = await facts.program(programId);
  const root = refused(canReadProgram(caller, programId, program));
  if (root) return root;
  const field = refused(canReadProgramAnalytics(caller, program!));
  return field ?? { outcome: 'allow', target: program! };
}

export async function trajectoryAccess(
  caller: Caller,
  facts: ScopeFacts,
  relationshipId: string,
  direction: TrustDirection,
): Promise<ExportVerdict<RelationshipFacts>> {
  const relationship = await facts.relationship(relationshipId);
  const root = refused(canReadRelationship(caller, relationship));
  if (root) return root;
  const field = refused(canReadTrustDirection(caller, relationship!, direction));
  return field ?? { outcome: 'allow', target: relationship! };
}
