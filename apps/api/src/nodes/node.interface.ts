import { Field, ID, InterfaceType } from '@nestjs/graphql';

/**
 * Relay's Global Object Identification. Ids are UUIDs unique across the
 * implementing types, so an id alone finds its object. The concrete type is
 * told by the model's class (Nest resolves an interface by `instanceof`).
 */
@InterfaceType('Node', {
  description: 'An object with an id that `node(id)` can refetch (the Relay Global Object Identification convention).',
})
export abstract class NodeInterface {
  @Field(() => ID)
  id!: string;
}
