// The configuration lives in libs/config (@trustline/config), shared by the server and the CLI.
// Kept as a re-export so code written before the move still compiles; import @trustline/config.
export * from '@trustline/config';
