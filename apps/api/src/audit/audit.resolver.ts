import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import {
  EVENT_STORE,
  type EventStore,
  PersonalData,
  type RecordedEvent,
  StreamNotFound,
  streamName,
  upcastStored,
  verifyChain,
} from '@trustline/event-store';
import { Access, Authorize } from '../auth/authorize.decorator';
import { apiError } from '../graphql/api-errors';
import { BEFORE, LAST, pageInfoOf } from '../graphql/connection';
import { PAGE_SIZES, pageFirst } from '../graphql/page-sizes';
import { AuditEventConnection, AuditEventModel, IntegrityReportModel } from './audit.model';

const cursorOf = (revision: bigint) => Buffer.from(`revision:${revision}`).toString('base64url');
function revisionOf(cursor: string, field: 'after' | 'before'): bigint {
  const match = /^revision:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw apiError('BAD_USER_INPUT', 'Invalid cursor', {
      violations: [{ field, message: 'is not a cursor of this connection' }],
    });
  return BigInt(match[1]);
}

/** `last` as `first` is taken: a negative one refused, a larger one than a page holds clamped. */
function pageLast(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) {
    throw apiError('BAD_USER_INPUT', 'last must be a non-negative integer', {
      violations: [{ field: 'last', message: 'must be a non-negative integer' }],
    });
  }
  return Math.min(requested, PAGE_SIZES.largestHistory);
}

const NO_MORE = { hasNextPage: false, hasPreviousPage: false };

// Auditors read the stream itself, never a read model: what they see is what is stored.
@Resolver()
export class AuditResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly personalData: PersonalData,
  ) {}

  @Query(() => AuditEventConnection)
  @Authorize(Access.relationshipHistory('relationshipId'))
  async relationshipHistory(
    @Args('relationshipId', { type: () => ID }) relationshipId: string,
    @Args('first', { type: () => Int, defaultValue: PAGE_SIZES.defaultHistoryFirst, nullable: true })
    requested: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('last', LAST) last: number | null,
    @Args('before', BEFORE) before: string | null,
  ) {
    // `last` wins over `first`, whose default would otherwise cut a backward page short.
    const backward = last !== null && last !== undefined;
    const size = backward
      ? pageLast(last)
      : pageFirst(requested ?? PAGE_SIZES.defaultHistoryFirst, PAGE_SIZES.largestHistory);
    const stream = streamName('relationship', relationshipId);
    const newest = await this.read(stream, { direction: 'backwards', maxCount: 1 });
    if (newest.length === 0) return AuditEventConnection.from({ edges: [], pageInfo: pageInfoOf([], NO_MORE) }, 0);
    const end = newest[0].revision;
    // Revisions strictly between the cursors: [from, to].
    const from = after ? revisionOf(after, 'after') + 1n : 0n;
    const to = before ? revisionOf(before, 'before') - 1n : end;
    const width = to >= from ? to - from + 1n : 0n;
    let events: RecordedEvent[] = [];
    if (size > 0 && width > 0n) {
      events = backward
        ? (await this.read(stream, { direction: 'backwards', fromRevision: to, maxCount: size }))
            .filter((e) => e.revision >= from)
            .reverse()
        : (await this.read(stream, { fromRevision: from, maxCount: size })).filter((e) => e.revision <= to);
    }
    const edges = await Promise.all(
      events.map(async (event) => ({
        cursor: cursorOf(event.revision),
        node: AuditEventModel.from(await this.revealed(event)),
      })),
    );
    const more = BigInt(edges.length) < width;
    return AuditEventConnection.from(
      {
        edges,
        pageInfo: pageInfoOf(edges, {
          hasNextPage: backward ? to < end : more,
          hasPreviousPage: backward ? more : from > 0n,
        }),
      },
      Number(end) + 1,
    );
  }

  @Query(() => IntegrityReportModel)
  @Authorize(Access.verifyRelationshipHistory('relationshipId'))
  async verifyRelationshipHistory(@Args('relationshipId', { type: () => ID }) relationshipId: string) {
    return verifyChain(await this.read(streamName('relationship', relationshipId)));
  }

  // The data as stored with its personal fields opened (null once erased); hash and previousHash stay as stored.
  private async revealed(event: RecordedEvent): Promise<RecordedEvent> {
    const data = await this.personalData.revealData(event.type, upcastStored(event).data);
    return { ...event, data };
  }

  private async read(stream: string, options?: Parameters<EventStore['readStream']>[1]): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(stream, options);
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }
}
