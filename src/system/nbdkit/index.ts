// nbdkit: one foreground process per export, started by the supervisor (see argv.ts for why).
export * from './argv.js';
