import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PersonalData } from '@trustline/event-store';
import { MentoringPromiseModel } from './relationship.model';

// Private content is stored sealed under the relationship's key, wherever a
// model carries it (relationship, snapshot, payload); it is opened here, at
// the one field that shows it, and is null once either party was erased.
@Resolver(() => MentoringPromiseModel)
export class PrivateContentResolver {
  constructor(private readonly personalData: PersonalData) {}

  @ResolveField(() => String, { nullable: true })
  description(@Parent() promise: MentoringPromiseModel): Promise<string | null> {
    return this.personalData.reveal(promise.description);
  }
}
