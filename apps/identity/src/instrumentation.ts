import { startTelemetry } from '@tessera/telemetry';

/**
 * Imported first by main.ts: tracing patches http, express, Nest, pg and ioredis as they load, so it must start
 * before any of them is required; metrics start here too, with their port (see decision 028).
 */
startTelemetry('identity');
