export * from './principal';
export * from './access.facts';
export * from './access.policy';
export * from './tokens/token.tuning';
export * from './tokens/jwt-secret';
export * from './tokens/token.verifier';
export * from './tokens/token.minter';
