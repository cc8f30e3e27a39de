export * from './command-handling.tuning';
export * from './command-identity';
export * from './command-executor';
export * from './write-state.cache';
export * from './stream-commands';
export * from './clock';
export * from './participant-erasure';
