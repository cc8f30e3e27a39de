import { Injectable } from '@nestjs/common';
import {
  atRisk,
  deriveEvidence,
  programTrend,
  type RelationshipEvidence,
  toMillis,
  type TrendBucket,
  trustScore,
} from '@trustline/domain';
import { InvalidPageRequest, MAX_PAGE_SIZE, ReadModels, type RelationshipView } from '@trustline/projections';
import { apiError } from '../graphql/api-errors';
import type { Page } from '../graphql/connection';
import type { RelationshipStatus, TrustBand } from '../graphql/enums';
import { ParticipantModel } from '../participants/participant.model';
import { ProgramModel } from '../programs/program.model';
import { RelationshipModel } from '../relationships/relationship.model';

export interface RelationshipFilter {
  status: RelationshipStatus | null;
  band: TrustBand | null;
  first: number;
  after: string | null;
}

/** Reads the local read models and shapes them as GraphQL models. */
@Injectable()
export class Views {
  constructor(private readonly readModels: ReadModels) {}

  programs(first: number, after: string | null) {
    const page = paged(() => this.readModels.listPrograms({ first, after }));
    return {
      page: { ...page, edges: page.edges.map((edge) => ({ ...edge, node: ProgramModel.from(edge.node) })) },
      totalCount: this.readModels.countPrograms(),
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

  async relationshipsById(ids: readonly string[]): Promise<(RelationshipModel | null)[]> {
    const now = Date.now();
    return this.readModels.getRelationships(ids).map((view) => (view ? RelationshipModel.from(view, now) : null));
  }

  async evidenceById(ids: readonly string[], now: number): Promise<RelationshipEvidence[]> {
    return ids.map((id) => deriveEvidence(this.readModels.relationshipFacts(id), now));
  }

  /** Every relationship's evidence, derived once, for program-wide figures. */
  private programEvidence(programId: string, now: number): RelationshipEvidence[] {
    return [...this.readModels.relationshipFactsForProgram(programId).values()].map((facts) => deriveEvidence(facts, now));
  }

  programTrend(program: ProgramModel, query: { bucket: TrendBucket; from: string | null; to: string | null }) {
    const now = Date.now();
    const activity = {
      launchedAt: toMillis(program.launchedAt),
      communications: this.readModels
        .programCommunications(program.id)
        .map((communication) => toMillis(communication.event.data.occurredAt)),
    };
    return programTrend(activity, this.programEvidence(program.id, now), {
      bucket: query.bucket,
      from: query.from ?? undefined,
      to: query.to ?? undefined,
      now,
    });
  }

  /** Ids of the program's relationships that need attention as of `asOf`, worst first. */
  atRisk(programId: string, asOf: string | null, first: number): string[] {
    const now = Date.now();
    return atRisk(this.programEvidence(programId, now), asOf ?? now)
      .slice(0, Math.max(0, first))
      .map((found) => found.relationshipId);
  }

  /**
   * A program's relationships in start order. The status a client sees is
   * judged at `now` (a pause whose `until` passed is ACTIVE again), so the
   * filter runs over the models, reading the stored list page by page.
   */
  relationshipsOfProgram(programId: string, filter: RelationshipFilter): { page: Page<RelationshipModel>; totalCount: number } {
    if (!Number.isInteger(filter.first) || filter.first < 0 || filter.first > MAX_PAGE_SIZE) {
      throw apiError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}`, {
        violations: [{ field: 'first', message: `must be between 0 and ${MAX_PAGE_SIZE}` }],
      });
    }
    const now = Date.now();
    const keep = (model: RelationshipModel) =>
      (!filter.status || model.status === filter.status) && (!filter.band || this.bandOf(model) === filter.band);
    const matching: { cursor: string; node: RelationshipModel }[] = [];
    let totalCount = 0;
    let started = filter.after === null;
    for (let after: string | null = null; ; ) {
      const stored = paged(() => this.readModels.listRelationships({ programId, first: MAX_PAGE_SIZE, after }));
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
    const edges = matching.slice(0, filter.first);
    return {
      page: { edges, pageInfo: { hasNextPage: matching.length > filter.first, endCursor: edges.at(-1)?.cursor ?? null } },
      totalCount,
    };
  }

  /** The MENTEE_IN_MENTOR band as of the model's instant (the contract's `relationships(band:)`). */
  private bandOf(model: RelationshipModel): TrustBand {
    const evidence = deriveEvidence(this.readModels.relationshipFacts(model.id), model.now);
    return trustScore(evidence, 'MENTEE_IN_MENTOR', model.now).band as TrustBand;
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
