import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Cadence, RelationshipFact, TrendPoint, TrustPoint, TrustScore } from '@trustline/domain';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { TrustBand, TrustComponent, TrustDirection } from '../graphql/enums';

// The contract's trust types. The engine's numbers pass through unrounded.

@ObjectType('TrustScore')
export class TrustScoreModel {
  @Field(() => DateTimeScalar) asOf!: string;
  @Field(() => Float, { description: '0..100' }) score!: number;
  @Field(() => Float, { description: 'Expected values 0..1 of each component.' }) integrity!: number;
  @Field(() => Float) benevolence!: number;
  @Field(() => Float) ability!: number;
  @Field(() => Float, { description: "0..1: mean of the components' uncertainty." }) uncertainty!: number;
  @Field(() => TrustBand) band!: TrustBand;

  static from(score: TrustScore): TrustScoreModel {
    return Object.assign(new TrustScoreModel(), { ...score, band: score.band as TrustBand });
  }
}

@ObjectType('Contribution')
export class ContributionModel {
  @Field() rule!: string;
  @Field(() => TrustComponent) component!: TrustComponent;
  @Field(() => Float) positive!: number;
  @Field(() => Float) negative!: number;
}

@ObjectType('EventRef')
export class EventRefModel {
  @Field(() => ID) id!: string;
  @Field() type!: string;
  @Field() position!: string;
  @Field(() => Int) streamRevision!: number;
  @Field(() => DateTimeScalar) occurredAt!: string;
  @Field(() => DateTimeScalar) recordedAt!: string;

  static from(fact: RelationshipFact): EventRefModel {
    return Object.assign(new EventRefModel(), {
      id: fact.eventId,
      type: fact.event.type,
      position: fact.position.toString(),
      streamRevision: fact.revision,
      occurredAt: fact.event.data.occurredAt,
      recordedAt: fact.recordedAt,
    });
  }
}

@ObjectType('TrustPoint', {
  description: 'One point per event (or time-triggered rule firing) that changed the evidence.',
})
export class TrustPointModel {
  // One event can move both directions (a meeting held does): a subscriber tells the two points apart by this.
  @Field(() => TrustDirection, { description: 'Whose trust in whom this point measures.' }) direction!: TrustDirection;
  @Field(() => DateTimeScalar) at!: string;
  @Field(() => Float) score!: number;
  @Field(() => Float) integrity!: number;
  @Field(() => Float) benevolence!: number;
  @Field(() => Float) ability!: number;
  @Field(() => Float) uncertainty!: number;
  @Field(() => TrustBand) band!: TrustBand;
  @Field(() => Float) delta!: number;
  @Field(() => EventRefModel, { nullable: true }) cause!: EventRefModel | null;
  @Field(() => [ContributionModel]) contributions!: ContributionModel[];

  static from(point: TrustPoint, direction: TrustDirection): TrustPointModel {
    return Object.assign(new TrustPointModel(), {
      ...point,
      direction,
      band: point.band as TrustBand,
      cause: point.cause ? EventRefModel.from(point.cause) : null,
      contributions: point.contributions.map((c) => ({ ...c, component: c.component as TrustComponent })),
    });
  }
}

@ObjectType('Cadence')
export class CadenceModel {
  @Field(() => Int) agreedDays!: number;
  @Field(() => Int) meetingsHeld!: number;
  @Field(() => Float, { nullable: true }) medianGapDays!: number | null;
  @Field(() => Float, { nullable: true }) currentGapDays!: number | null;
  @Field(() => Float, { description: '0..100' }) score!: number;
  @Field() needsCheckIn!: boolean;
  @Field() inactive!: boolean;

  static from(cadence: Cadence): CadenceModel {
    return Object.assign(new CadenceModel(), cadence);
  }
}

@ObjectType('BandCounts')
export class BandCountsModel {
  @Field(() => Int) tooEarly!: number;
  @Field(() => Int) high!: number;
  @Field(() => Int) steady!: number;
  @Field(() => Int) fragile!: number;
  @Field(() => Int) atRisk!: number;
}

@ObjectType('TrendPoint')
export class TrendPointModel {
  @Field(() => DateTimeScalar) start!: string;
  @Field(() => DateTimeScalar) end!: string;
  @Field(() => Int) activeRelationships!: number;
  @Field(() => Float, { nullable: true }) medianScore!: number | null;
  @Field(() => Float, { nullable: true }) p25Score!: number | null;
  @Field(() => Float, { nullable: true }) p75Score!: number | null;
  @Field(() => BandCountsModel) bands!: BandCountsModel;
  @Field(() => Float, { nullable: true }) promisesKeptRate!: number | null;
  @Field(() => Float, { nullable: true }) cancellationRate!: number | null;
  @Field(() => Float, { nullable: true }) noShowRate!: number | null;
  @Field(() => Float, { nullable: true }) medianGapDays!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean of check-in `organization` answers in the bucket, 1..5.' })
  organizationTrust!: number | null;
  @Field(() => Int) communications!: number;

  static from(point: TrendPoint): TrendPointModel {
    return Object.assign(new TrendPointModel(), point);
  }
}

@ObjectType('ProgramTrustChange')
export class ProgramTrustChangeModel {
  @Field(() => ID) relationshipId!: string;
  @Field(() => TrustDirection) direction!: TrustDirection;
  @Field(() => TrustPointModel) point!: TrustPointModel;
}
