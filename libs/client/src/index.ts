export * from './client';
export * from './credentials';
export * from './device-login';
export * from './environment';
export * from './errors';
export * from './profiles';
export * from './store';
