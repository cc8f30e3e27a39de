export * from './event-store.port';
export * from './event-store.errors';
export * from './event-validation';
export * from './sqlite/sqlite-event-store';
export * from './open-event-store';
