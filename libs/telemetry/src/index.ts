export * from './metrics-registry';
export * from './tessera-metrics';
export * from './trace-context';
export * from './start-telemetry';
