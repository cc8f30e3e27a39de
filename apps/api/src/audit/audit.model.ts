import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { RecordedEvent } from '@trustline/event-store';
import { Connection } from '../graphql/connection';
import { DateTimeScalar } from '../graphql/date-time.scalar';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

@ObjectType('AuditEvent')
export class AuditEventModel {
  @Field(() => ID) id!: string;
  @Field() type!: string;
  @Field() streamId!: string;
  @Field(() => Int) streamRevision!: number;
  @Field() position!: string;
  @Field(() => DateTimeScalar) occurredAt!: string;
  @Field(() => DateTimeScalar) recordedAt!: string;
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field(() => String, { nullable: true }) correlationId!: string | null;
  @Field(() => String, { nullable: true }) causationId!: string | null;
  @Field() data!: string;
  @Field() hash!: string;
  @Field(() => String, { nullable: true }) previousHash!: string | null;

  static from(event: RecordedEvent): AuditEventModel {
    const m = event.metadata;
    return Object.assign(new AuditEventModel(), {
      id: event.id,
      type: event.type,
      streamId: event.streamId,
      streamRevision: Number(event.revision),
      position: event.position.toString(),
      occurredAt: text(m.occurredAt),
      recordedAt: text(m.recordedAt),
      actor: text(m.actor),
      correlationId: text(m.correlationId),
      causationId: text(m.causationId),
      // The stored JSON: the adapters keep data as JSON.stringify wrote it, key order included.
      data: JSON.stringify(event.data),
      hash: text(m.hash) ?? '',
      previousHash: text(m.previousHash),
    });
  }
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection extends Connection('AuditEvent', AuditEventModel) {}

@ObjectType('IntegrityReport')
export class IntegrityReportModel {
  @Field() ok!: boolean;
  @Field(() => Int) eventsChecked!: number;
  @Field(() => ID, { nullable: true }) firstBrokenEventId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}
