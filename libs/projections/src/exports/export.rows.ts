import type { TrendPoint, TrustDirection, TrustPoint } from '@trustline/domain';
import type { RecordedEvent } from '@trustline/event-store';

// The rows of every export, the CLI's and the HTTP CSVs alike: one shape
// per kind, its columns in one place, the figures exactly as the API
// computes them (no rounding: a spreadsheet rounds for display).

export type ExportRow = Record<string, string | number | boolean | null>;

export const EVENT_COLUMNS = [
  'streamId',
  'revision',
  'position',
  'id',
  'type',
  'schemaVersion',
  'occurredAt',
  'recordedAt',
  'actor',
  'correlationId',
  'causationId',
  'previousHash',
  'hash',
  'data',
] as const;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A stored event with its metadata and hashes as stored; `data` is given (revealed: erased values null) by the caller. */
export const eventRow = (event: RecordedEvent, data: unknown): ExportRow => ({
  streamId: event.streamId,
  revision: Number(event.revision),
  position: event.position.toString(),
  id: event.id,
  type: event.type,
  schemaVersion: Number(event.metadata.schemaVersion ?? 1),
  occurredAt: text(event.metadata.occurredAt),
  recordedAt: text(event.metadata.recordedAt),
  actor: text(event.metadata.actor),
  correlationId: text(event.metadata.correlationId),
  causationId: text(event.metadata.causationId),
  previousHash: text(event.metadata.previousHash),
  hash: text(event.metadata.hash),
  data: JSON.stringify(data),
});

export const TRAJECTORY_COLUMNS = [
  'relationshipId',
  'direction',
  'at',
  'score',
  'integrity',
  'benevolence',
  'ability',
  'uncertainty',
  'band',
  'delta',
  'causeType',
  'causeEventId',
  'causePosition',
] as const;

/** One row per trajectory point, with the stored event that caused it (empty for a time-triggered rule). */
export const trajectoryRow = (relationshipId: string, direction: TrustDirection, point: TrustPoint): ExportRow => ({
  relationshipId,
  direction,
  at: point.at,
  score: point.score,
  integrity: point.integrity,
  benevolence: point.benevolence,
  ability: point.ability,
  uncertainty: point.uncertainty,
  band: point.band,
  delta: point.delta,
  causeType: point.cause?.event.type ?? null,
  causeEventId: point.cause?.eventId ?? null,
  causePosition: point.cause ? point.cause.position.toString() : null,
});

export const TREND_COLUMNS = [
  'start',
  'end',
  'activeRelationships',
  'medianScore',
  'p25Score',
  'p75Score',
  'tooEarly',
  'high',
  'steady',
  'fragile',
  'atRisk',
  'promisesKeptRate',
  'cancellationRate',
  'noShowRate',
  'medianGapDays',
  'organizationTrust',
  'communications',
] as const;

/** One row per bucket: the figures of `trustTrend`, its band counts flattened. */
export const trendRow = (point: TrendPoint): ExportRow => ({
  start: point.start,
  end: point.end,
  activeRelationships: point.activeRelationships,
  medianScore: point.medianScore,
  p25Score: point.p25Score,
  p75Score: point.p75Score,
  tooEarly: point.bands.tooEarly,
  high: point.bands.high,
  steady: point.bands.steady,
  fragile: point.bands.fragile,
  atRisk: point.bands.atRisk,
  promisesKeptRate: point.promisesKeptRate,
  cancellationRate: point.cancellationRate,
  noShowRate: point.noShowRate,
  medianGapDays: point.medianGapDays,
  organizationTrust: point.organizationTrust,
  communications: point.communications,
});
