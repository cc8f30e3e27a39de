export * from './decider.specification';
export * from './projection.specification';
export * from './recorded.fixtures';
export * from './fixtures/common.fixtures';
export * from './fixtures/program.fixtures';
export * from './fixtures/participant.fixtures';
export * from './fixtures/relationship.fixtures';
export * from './jwks-server';
