import { ServiceName } from './services';

export type HealthStatus = 'up' | 'down';

/** What a service says of itself on `tessera.<service>.health`: its own status and each dependency's. */
export interface HealthReport {
  service: ServiceName;
  status: HealthStatus;
  /** Dependency name (`database`, `redis`, …) → status; a failing one carries a short reason. */
  checks: Record<string, { status: HealthStatus; error?: string }>;
  uptimeSeconds: number;
}
