export * from './event-registry';
export * from './event-reader';
