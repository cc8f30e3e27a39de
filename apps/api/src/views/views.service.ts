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
  TrendMemo,
} from '@trustline/domain';
import {
  decodeCursor,
  DocumentCache,
  InvalidPageRequest,
  type PageRequest,
  type PageWindow,
  pageWindow,
  type ParticipantView,
  type ProgramView,
  ReadModels,
  relationshipStatusAt,
  type RelationshipView,
} from '@trustline/projections';
import { apiError } from '../graphql/api-errors';
import { type Page, pageInfoOf } from '../graphql/connection';
import { PAGE_SIZES } from '../graphql/page-sizes';
import type { RelationshipStatus, TrustBand } from '../graphql/enums';
import { EvidenceSummaries } from './evidence-summaries.cache';

export const VIEW_CACHE_TUNING = {
  /**
   * Relationship views kept parsed between requests, in units of one per
   * relationship and one per promise, meeting or pause it holds (a unit is a
   * few hundred bytes of document); the least recently used go first.
   */
  relationshipUnits: 200_000,
} as const;

interface KeptView {
  /** The relationship's stream revision the stored document was at. */
  readonly revision: number;
  readonly view: RelationshipView;
}

export interface RelationshipFilter extends PageRequest {
  status: RelationshipStatus | null;
  band: TrustBand | null;
  /** Only the relationships the caller may see (the access policy's answer) are listed and counted. */
  visible?: (relationship: RelationshipView) => boolean;
}

/**
 * Reads the local read models and answers with their views, paged and
 * filtered as the API lists them; the resolvers shape them as GraphQL models.
 */
@Injectable()
export class Views {
  // Every `relationship(id)` read its whole document (promises and meetings) and parsed it again: a kept one is
  // used while the stored revision is still the one it was read at (the document changes only with a new fact).
  protected readonly relationshipViews = new DocumentCache<KeptView>(VIEW_CACHE_TUNING.relationshipUnits);
  // A trend scored every relationship in every bucket at each query: what a kept summary gave in the buckets
  // that had ended is kept beside it (and goes with it), and so are the last query's ended points while no
  // summary changed, so a query scores the open bucket only. One per program (a memo keeps one set of points).
  private readonly trendMemos = new Map<string, TrendMemo>();

  constructor(
    private readonly readModels: ReadModels,
    private readonly summaries: EvidenceSummaries,
  ) {}

  /** Programs in launch order: all of them, or only those of `visible` (a caller's scope), counted alike. */
  programs(request: PageRequest, visible: 'ALL' | readonly string[] = 'ALL') {
    if (visible === 'ALL') {
      const page = paged(() => this.readModels.listPrograms(request));
      return { page, totalCount: this.readModels.countPrograms() };
    }
    // A caller's programs are few: read the list, keep theirs, page with the list's own cursors.
    const window = paged(() => pageWindow(request, PAGE_SIZES.defaultFirst));
    const wanted = new Set(visible.map((id) => id.toLowerCase()));
    const found: { cursor: string; node: ProgramView }[] = [];
    for (let at: string | null = null; ;) {
      const stored = paged(() => this.readModels.listPrograms({ first: PAGE_SIZES.largestList, after: at }));
      for (const edge of stored.edges) {
        if (wanted.has(edge.node.programId.toLowerCase())) found.push({ cursor: edge.cursor, node: edge.node });
      }
      if (!stored.pageInfo.hasNextPage) break;
      at = stored.pageInfo.endCursor;
    }
    return { page: windowOf(found, window), totalCount: found.length };
  }

  async programsById(ids: readonly string[]): Promise<(ProgramView | null)[]> {
    return ids.map((id) => this.readModels.getProgram(id));
  }

  async participantsById(ids: readonly string[]): Promise<(ParticipantView | null)[]> {
    return this.readModels.getParticipants(ids);
  }

  /**
   * `revisionsRead`: where the revision each view was read at is noted (by lower-case id), for the request's
   * summaries (see summariesById).
   */
  async relationshipsById(
    ids: readonly string[],
    revisionsRead?: Map<string, number>,
  ): Promise<(RelationshipView | null)[]> {
    const found: (RelationshipView | null)[] = [];
    let missing: { index: number; id: string; revision: number }[] | null = null;
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index];
      const revision = this.readModels.relationshipRevision(id);
      if (revision === null) {
        found.push(null);
        continue;
      }
      const lower = id.toLowerCase();
      revisionsRead?.set(lower, revision);
      const kept = this.relationshipViews.get(lower);
      if (kept !== undefined && kept.revision === revision) {
        found.push(kept.view);
        continue;
      }
      found.push(null);
      (missing ??= []).push({ index, id, revision });
    }
    if (missing === null) return found;
    const read = this.readModels.getRelationships(missing.map(({ id }) => id));
    missing.forEach(({ index, id, revision }, at) => {
      const view = read[at];
      if (view === null) return;
      // Shared by every request from now on: read-only.
      deepFreeze(view);
      this.relationshipViews.set(
        id.toLowerCase(),
        { revision, view },
        1 + view.promises.length + view.meetings.length + view.pauses.length,
      );
      found[index] = view;
    });
    return found;
  }

  async evidenceById(ids: readonly string[], now: number): Promise<RelationshipEvidence[]> {
    return ids.map((id) => deriveEvidence(this.readModels.relationshipFacts(id), now));
  }

  /**
   * An error for an unknown id: callers ask only about relationships they have loaded. `revisionsRead`: the
   * revisions the request's views were read at (relationshipsById); a summary kept at its view's revision is
   * answered without reading the revision a second time.
   */
  async summariesById(
    ids: readonly string[],
    now: number,
    revisionsRead?: ReadonlyMap<string, number>,
  ): Promise<(EvidenceSummary | Error)[]> {
    return ids.map(
      (id) => this.summaries.of(id, now, revisionsRead?.get(id.toLowerCase())) ?? new Error(`No relationship ${id}`),
    );
  }

  programTrend(
    program: { id: string; launchedAt: string },
    query: { bucket: TrendBucket; from: string | null; to: string | null },
    now: number,
  ) {
    const activity = {
      launchedAt: toMillis(program.launchedAt),
      communications: this.readModels
        .programCommunications(program.id)
        .map((communication) => toMillis(communication.event.data.occurredAt)),
    };
    return programTrendOfSummaries(
      activity,
      this.summaries.ofProgram(program.id, now),
      { bucket: query.bucket, from: query.from ?? undefined, to: query.to ?? undefined, now },
      undefined,
      this.trendMemoOf(program.id),
    );
  }

  private trendMemoOf(programId: string): TrendMemo {
    const id = programId.toLowerCase();
    let memo = this.trendMemos.get(id);
    if (memo === undefined) {
      memo = new TrendMemo();
      this.trendMemos.set(id, memo);
    }
    return memo;
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
   * filter runs over the views as of `now`, reading the stored list page by page.
   */
  relationshipsOfProgram(
    programId: string,
    filter: RelationshipFilter,
    now: number,
  ): { page: Page<RelationshipView>; totalCount: number } {
    // As every list of the API: a negative `first` is refused, a larger one than a page holds is clamped.
    const window = paged(() => pageWindow(filter, PAGE_SIZES.defaultFirst));
    const summaries = filter.band ? this.programSummariesById(programId, now) : null;
    const at = new Date(now).toISOString();
    const keep = (view: RelationshipView) =>
      (!filter.visible || filter.visible(view)) &&
      (!filter.status || relationshipStatusAt(view, at) === filter.status) &&
      (!filter.band || this.bandOf(view.relationshipId, summaries, now) === filter.band);
    // Every match is read anyway (the filter is judged as of `now`), so paging either way costs the same.
    const matching: { cursor: string; node: RelationshipView }[] = [];
    for (let after: string | null = null; ;) {
      const stored = paged(() =>
        this.readModels.listRelationships({ programId, first: PAGE_SIZES.largestList, after }),
      );
      for (const edge of stored.edges) {
        if (keep(edge.node)) matching.push({ cursor: edge.cursor, node: edge.node });
      }
      if (!stored.pageInfo.hasNextPage) break;
      after = stored.pageInfo.endCursor;
    }
    return { page: windowOf(matching, window), totalCount: matching.length };
  }

  private programSummariesById(programId: string, now: number): Map<string, EvidenceSummary> {
    const summaries = new Map<string, EvidenceSummary>();
    for (const summary of this.summaries.ofProgram(programId, now)) {
      if (summary.relationshipId !== null) summaries.set(summary.relationshipId.toLowerCase(), summary);
    }
    return summaries;
  }

  /** The MENTEE_IN_MENTOR band as of `now` (the contract's `relationships(band:)`). */
  private bandOf(relationshipId: string, summaries: Map<string, EvidenceSummary> | null, now: number): TrustBand {
    const summary = summaries?.get(relationshipId.toLowerCase()) ?? this.summaries.of(relationshipId, now);
    if (summary === null) throw new Error(`No evidence for relationship ${relationshipId}`);
    return summaryFiguresAt(summary, 'MENTEE_IN_MENTOR', now).band as TrustBand;
  }
}

/** One page of a list already read whole (in list order), cut by a Relay window either way. */
function windowOf<T>(all: { cursor: string; node: T }[], window: PageWindow): Page<T> {
  const inside = all.filter((edge) => {
    const position = decodeCursor(edge.cursor);
    return position > window.above && position < window.below;
  });
  const edges = window.backward ? inside.slice(Math.max(0, inside.length - window.size)) : inside.slice(0, window.size);
  const more = inside.length > edges.length;
  return {
    edges,
    pageInfo: pageInfoOf(edges, {
      hasNextPage: window.backward ? window.boundedBehind : more,
      hasPreviousPage: window.backward ? more : window.boundedBehind,
    }),
  };
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidPageRequest) {
      const field = /^(first|last)\b/.exec(error.message)?.[1] ?? 'after';
      throw apiError('BAD_USER_INPUT', error.message, { violations: [{ field, message: error.message }] });
    }
    throw error;
  }
}
