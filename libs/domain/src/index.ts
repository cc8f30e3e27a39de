export * from './shared/instant';
export * from './shared/domain-error';
export * from './shared/decider';
export * from './shared/recorded';
export * from './program/program.events';
export * from './participant/participant.events';
export * from './relationship/relationship.events';
