import { Injectable } from '@nestjs/common';
import {
  atRiskOfSummaries,
  deriveEvidence,
  type EvidenceSummary,
  programTrendOfSummaries,
  type RelationshipEvidence,
  summaryFiguresAt,
  toMillis,
  type TrendBucket,
} from '@trustline/domain';
import { InvalidPageRequest, ReadModels, type RelationshipView } from '@trustline/projections';
import { apiError } from '../graphql/api-errors';
import type { Page } from '../graphql/connection';
import { PAGE_SIZES, pageFirst } from '../graphql/page-sizes';
import type { RelationshipStatus, TrustBand } from '../graphql/enums';
import { ParticipantModel } from '../participants/participant.model';
import { ProgramModel } from '../programs/program.model';
import { RelationshipModel } from '../relationships/relationship.model';
import { EvidenceSummaries } from './evidence-summaries.cache';

export interface RelationshipFilter {
  status: RelationshipStatus | null;
  band: TrustBand | null;
  first: number;
  after: string | null;
  /** Only the relationships the caller may see (the access policy's answer) are listed and counted. */
  visible?: (relationship: RelationshipModel) => boolean;
}

/** Reads the local read models and shapes them as GraphQL models. */
@Injectable()
export class Views {
  constructor(
    private readonly readModels: ReadModels,
    private readonly summaries: EvidenceSummaries,
  ) {}

  /** Programs in launch order: all of them, or only those of `visible` (a caller's scope), counted alike. */
  programs(first: number, after: string | null, visible: 'ALL' | readonly string[] = 'ALL') {
    if (visible === 'ALL') {
      const page = paged(() => this.readModels.listPrograms({ first, after }));
      return {
        page: { ...page, edges: page.edges.map((edge) => ({ ...edge, node: ProgramModel.from(edge.node) })) },
        totalCount: this.readModels.countPrograms(),
      };
    }
    // A caller's programs are few: read the list, keep theirs, page with the list's own cursors.
    const pageSize = pageFirst(first, PAGE_SIZES.largestList);
    const wanted = new Set(visible.map((id) => id.toLowerCase()));
    const visibleAfter = (from: string | null) => {
      const found: { cursor: string; node: ProgramModel }[] = [];
      for (let at = from; ; ) {
        const stored = paged(() => this.readModels.listPrograms({ first: PAGE_SIZES.largestList, after: at }));
        for (const edge of stored.edges) {
          if (wanted.has(edge.node.programId.toLowerCase())) found.push({ cursor: edge.cursor, node: ProgramModel.from(edge.node) });
        }
        if (!stored.pageInfo.hasNextPage) return found;
        at = stored.pageInfo.endCursor;
      }
    };
    const rest = visibleAfter(after);
    const edges = rest.slice(0, pageSize);
    return {
      page: { edges, pageInfo: { hasNextPage: rest.length > edges.length, endCursor: edges.at(-1)?.cursor ?? null } },
      totalCount: after === null ? rest.length : visibleAfter(null).length,
    };
  }

  async programsById(ids: readonly string[]): Promise<(ProgramModel | null)[]> {
    return ids.map((id) => {
      const view = this.readModels.getProgram(id);
      return view ? ProgramModel.from(view) : null;
    });
  }

  async participantsById(ids: readonly string[]): Promise<(ParticipantModel | null)[]> {
    return this.readModels.getParticipants(ids).map((view) => (view ? ParticipantModel.from({ ...view, email: null }) : null));
  }

  async relationshipsById(ids: readonly string[], now: number): Promise<(RelationshipModel | null)[]> {
    return this.readModels.getRelationships(ids).map((view) => (view ? RelationshipModel.from(view, now) : null));
  }

  async evidenceById(ids: readonly string[], now: number): Promise<RelationshipEvidence[]> {
    return ids.map((id) => deriveEvidence(this.readModels.relationshipFacts(id), now));
  }

  /** An error for an unknown id: callers ask only about relationships they have loaded. */
  async summariesById(ids: readonly string[], now: number): Promise<(EvidenceSummary | Error)[]> {
    return ids.map((id) => this.summaries.of(id, now) ?? new Error(`No relationship ${id}`));
  }

  programTrend(
    program: ProgramModel,
    query: { bucket: TrendBucket; from: string | null; to: string | null },
    now: number,
  ) {
    const activity = {
      launchedAt: toMillis(program.launchedAt),
      communications: this.readModels
        .programCommunications(program.id)
        .map((communication) => toMillis(communication.event.data.occurredAt)),
    };
    return programTrendOfSummaries(activity, this.summaries.ofProgram(program.id, now), {
      bucket: query.bucket,
      from: query.from ?? undefined,
      to: query.to ?? undefined,
      now,
    });
  }

  /** Ids of the program's relationships that need attention as of `asOf`, worst first. */
  atRisk(programId: string, asOf: string | null, first: number, now: number): string[] {
    return atRiskOfSummaries(this.summaries.ofProgram(programId, now), asOf ?? now)
      .slice(0, Math.max(0, first))
      .map((found) => found.relationshipId);
  }

  /**
   * A program's relationships in start order. The status a client sees is
   * judged at `now` (a pause whose `until` passed is ACTIVE again), so the
   * filter runs over the models, reading the stored list page by page.
   */
  relationshipsOfProgram(
    programId: string,
    filter: RelationshipFilter,
    now: number,
  ): { page: Page<RelationshipModel>; totalCount: number } {
    const first = pageFirst(filter.first, PAGE_SIZES.largestList);
    const summaries = filter.band ? this.programSummariesById(programId, now) : null;
    const keep = (model: RelationshipModel) =>
      (!filter.visible || filter.visible(model)) &&
      (!filter.status || model.status === filter.status) && (!filter.band || this.bandOf(model, summaries) === filter.band);
    const matching: { cursor: string; node: RelationshipModel }[] = [];
    let totalCount = 0;
    let started = !filter.after;
    for (let after: string | null = null; ; ) {
      const stored = paged(() => this.readModels.listRelationships({ programId, first: PAGE_SIZES.largestList, after }));
      for (const edge of stored.edges) {
        const model = RelationshipModel.from(edge.node as RelationshipView, now);
        if (!keep(model)) continue;
        totalCount++;
        if (started) matching.push({ cursor: edge.cursor, node: model });
        if (edge.cursor === filter.after) started = true;
      }
      if (!stored.pageInfo.hasNextPage) break;
      after = stored.pageInfo.endCursor;
    }
    const edges = matching.slice(0, first);
    return {
      page: { edges, pageInfo: { hasNextPage: matching.length > first, endCursor: edges.at(-1)?.cursor ?? null } },
      totalCount,
    };
  }

  private programSummariesById(programId: string, now: number): Map<string, EvidenceSummary> {
    const summaries = new Map<string, EvidenceSummary>();
    for (const summary of this.summaries.ofProgram(programId, now)) {
      if (summary.relationshipId !== null) summaries.set(summary.relationshipId.toLowerCase(), summary);
    }
    return summaries;
  }

  /** The MENTEE_IN_MENTOR band as of the model's instant (the contract's `relationships(band:)`). */
  private bandOf(model: RelationshipModel, summaries: Map<string, EvidenceSummary> | null): TrustBand {
    const summary = summaries?.get(model.id.toLowerCase()) ?? this.summaries.of(model.id, model.now);
    if (summary === null) throw new Error(`No evidence for relationship ${model.id}`);
    return summaryFiguresAt(summary, 'MENTEE_IN_MENTOR', model.now).band as TrustBand;
  }
}

function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidPageRequest) {
      throw apiError('BAD_USER_INPUT', error.message, { violations: [{ field: 'after', message: error.message }] });
    }
    throw error;
  }
}
