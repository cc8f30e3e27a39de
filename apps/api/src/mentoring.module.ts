import { Module } from '@nestjs/common';
import { AuditResolver } from './audit/audit.resolver';
import { DateTimeScalar } from './graphql/date-time.scalar';
import { NodeResolver } from './nodes/node.resolver';
import { ParticipantResolver } from './participants/participant.resolver';
import { ProgramResolver } from './programs/program.resolver';
import { RelationshipMutationsResolver } from './relationships/relationship-mutations.resolver';
import { RelationshipViewAfterWrite } from './relationships/relationship-view-after-write';
import { MentoringPromiseResolver, RelationshipResolver } from './relationships/relationship.resolver';
import { RelationshipSnapshotResolver } from './audit/relationship-snapshot';
import { TrustChangePublisher, TrustChanges, TrustSubscriptionResolver } from './trust/trust-changes';
import { ProgramTrustResolver, RelationshipTrustResolver } from './trust/trust.resolver';
import { ViewsModule } from './views/views.module';
import { WriteModule } from './write/write.module';

/** The GraphQL surface: programs, participants, relationships, their trust and their audit trail. */
@Module({
  imports: [WriteModule, ViewsModule],
  providers: [
    DateTimeScalar,
    ProgramResolver,
    ParticipantResolver,
    RelationshipResolver,
    NodeResolver,
    MentoringPromiseResolver,
    RelationshipMutationsResolver,
    RelationshipViewAfterWrite,
    AuditResolver,
    RelationshipSnapshotResolver,
    RelationshipTrustResolver,
    ProgramTrustResolver,
    TrustChanges,
    TrustChangePublisher,
    TrustSubscriptionResolver,
  ],
})
export class MentoringModule {}
