import { ServiceName } from './services';

export type HealthStatus = 'up' | 'down';

/** What a service says of itself on `tessera.<service>.health`: its own status and each dependency's. */
export interface HealthReport {
  service: ServiceName;
  status: HealthStatus;
  /** Dependency name (`database`, `redis`, …) → status; a failing one carries a short reason. */
  checks: Record<string, { status: HealthStatus; error?: string }>;
  uptimeSeconds: number;
  /**
   * Public ids of the root secrets the process accepts, its current one first (HMAC fingerprints: they name a
   * secret and reveal nothing of it), so the gateway can tell at start that every process shares its secret.
   */
  secretKeyIds?: string[];
}
