import type { RelationshipEvidence } from './trust.evidence';
import type { TrustPolicy } from './trust.policy';
import { cadenceAsOf, type Cadence } from './trust.cadence';
import type { TrustFigures } from './trust.score';
import { summarizeAll, summaryFiguresAt, type EvidenceSummary } from './trust.summary';
import { instantToMs, type InstantInput } from './trust.timeline';

export interface AtRiskRelationship {
  readonly relationshipId: string;
  /** MENTEE_IN_MENTOR, as of the instant asked for. */
  readonly trust: TrustFigures;
  readonly cadence: Cadence;
}

const needsAttention = ({ trust, cadence }: Omit<AtRiskRelationship, 'relationshipId'>): boolean =>
  trust.band === 'AT_RISK' || trust.band === 'FRAGILE' || cadence.needsCheckIn;

/** Relationships running at `asOf` that need attention, worst score first, then by id. */
export const atRisk = (
  relationships: readonly RelationshipEvidence[],
  asOf: InstantInput,
  policy?: TrustPolicy,
): AtRiskRelationship[] => atRiskOfSummaries(summarizeAll(relationships), asOf, policy);

/** atRisk from summaries, which a caller may keep between queries. */
export const atRiskOfSummaries = (
  relationships: readonly EvidenceSummary[],
  asOf: InstantInput,
  policy?: TrustPolicy,
): AtRiskRelationship[] => {
  const at = instantToMs(asOf);
  const found: AtRiskRelationship[] = [];
  for (const summary of relationships) {
    const { relationshipId, startedAt, endedAt } = summary;
    if (relationshipId === null || startedAt === null || startedAt > at) continue;
    if (endedAt !== null && endedAt <= at) continue;
    const effectivePolicy = policy ?? summary.policy;
    const trust = summaryFiguresAt(summary, 'MENTEE_IN_MENTOR', at, effectivePolicy);
    const cadence = cadenceAsOf(summary, at, effectivePolicy);
    if (needsAttention({ trust, cadence })) found.push({ relationshipId, trust, cadence });
  }
  return found.sort(
    (a, b) =>
      a.trust.score - b.trust.score ||
      (a.relationshipId < b.relationshipId ? -1 : a.relationshipId > b.relationshipId ? 1 : 0),
  );
};
