export * from './event-registry';
export * from './event-reader';
export * from './stored-json';
