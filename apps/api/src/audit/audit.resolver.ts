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
import { PAGE_SIZES, pageFirst } from '../graphql/page-sizes';
import { AuditEventConnection, AuditEventModel, IntegrityReportModel } from './audit.model';


const cursorOf = (revision: bigint) => Buffer.from(`revision:${revision}`).toString('base64url');
function revisionOf(cursor: string): bigint {
  const match = /^revision:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw apiError('BAD_USER_INPUT', 'Invalid cursor', { violations: [{ field: 'after', message: 'is not a cursor of this connection' }] });
  return BigInt(match[1]);
}

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
    @Args('first', { type: () => Int, defaultValue: PAGE_SIZES.defaultHistoryFirst, nullable: true }) requested: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    const first = pageFirst(requested ?? PAGE_SIZES.defaultHistoryFirst, PAGE_SIZES.largestHistory);
    const stream = streamName('relationship', relationshipId);
    const last = await this.read(stream, { direction: 'backwards', maxCount: 1 });
    if (last.length === 0) return AuditEventConnection.from({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } }, 0);
    const from = after ? revisionOf(after) + 1n : 0n;
    const page = first === 0 ? [] : await this.read(stream, { fromRevision: from, maxCount: first + 1 });
    const edges = await Promise.all(
      page.slice(0, first).map(async (event) => ({ cursor: cursorOf(event.revision), node: AuditEventModel.from(await this.revealed(event)) })),
    );
    return AuditEventConnection.from(
      {
        edges,
        pageInfo: {
          hasNextPage: page.length > first || (first === 0 && from <= last[0].revision),
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      },
      Number(last[0].revision) + 1,
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
