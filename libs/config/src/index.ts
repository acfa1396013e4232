export * from './variable';
export * from './load-config';
export * from './tessera-variables';
export * from './config-table';
export * from './development-mode';
