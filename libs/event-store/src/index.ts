export * from './event-store.port';
export * from './event-store.errors';
export * from './event-validation';
export * from './sqlite/sqlite-event-store';
export * from './open-event-store';
export * from './stream-names';
export * from './hash-chain';
export * from './event-types';
