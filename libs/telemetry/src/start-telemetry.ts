import { ConfigError, loadConfig, telemetryVariables } from '@tessera/config';
import type { ServiceName } from '@tessera/contracts';
import { enableMetrics } from './metrics-registry';
import { serveMetrics } from './metrics-server';

/**
 * Each process serves its metrics on TESSERA_METRICS_PORT plus its own offset, so that `npm start` (five processes
 * on one host) needs one variable, and a compose file or a pod uses the same numbers (see decision 028).
 */
export const METRICS_PORT_OFFSETS: Readonly<Record<ServiceName, number>> = {
  gateway: 0,
  identity: 1,
  teams: 2,
  keys: 3,
  notifications: 4,
};

export function metricsPort(service: ServiceName, basePort: number): number {
  return basePort + METRICS_PORT_OFFSETS[service];
}

/**
 * The first thing a process's `main.ts` does (through its `instrumentation.ts`), before the modules that tracing
 * patches are loaded. Metrics are on when TESSERA_METRICS_PORT is set, traces when OTEL_EXPORTER_OTLP_ENDPOINT is;
 * with neither, no module is patched and no series is kept. A bad value is left to the process's
 * own validation of its whole configuration, which reports every variable at once and stops.
 */
export function startTelemetry(service: ServiceName): void {
  let config;
  try {
    config = loadConfig(telemetryVariables);
  } catch (error) {
    if (error instanceof ConfigError) return;
    throw error;
  }
  if (config.otlpEndpoint) {
    // Required here, not imported: the SDK and its instrumentations are most of this library's weight, and every
    // process (and every spec that loads an RPC client) would load them for nothing when tracing is off.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startTracing } = require('./tracing') as typeof import('./tracing');
    startTracing({ service, endpoint: config.otlpEndpoint, protocol: config.otlpProtocol });
  }
  if (config.metricsPort !== undefined)
    serveMetrics(
      enableMetrics(service),
      config.metricsHost,
      metricsPort(service, config.metricsPort),
      service,
    );
}
