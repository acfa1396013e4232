export * from './free-port';
export * from './nats-server';
export * from './test-database';
export * from './test-environment';
export * from './eventually';
export * from './stand-ins/oidc-provider-process';
export * from './stand-ins/github-stand-in';
export * from './smtp-sink';
