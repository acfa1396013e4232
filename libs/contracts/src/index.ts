export * from './services';
export * from './health';
export * from './error-codes';
export * from './errors';
export * from './subjects';
export * from './events';
export * from './headers';
export * from './rpc-client';
