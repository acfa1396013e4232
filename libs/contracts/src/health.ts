import { z } from 'zod';
import { SERVICES } from './services';

export const HealthStatusSchema = z.enum(['up', 'down']);
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/** What a service says of itself on `tessera.<service>.health`: its own status and each dependency's. */
export const HealthReportSchema = z.object({
  service: z.enum(SERVICES),
  status: HealthStatusSchema,
  /** Dependency name (`database`, `redis`, …) → status; a failing one carries a short reason. */
  checks: z.record(z.string(), z.object({ status: HealthStatusSchema, error: z.string().optional() })),
  uptimeSeconds: z.number(),
  /**
   * Public ids of the root secrets the process accepts, its current one first (HMAC fingerprints: they name a
   * secret and reveal nothing of it), so the gateway can tell at start that every process shares its secret.
   */
  secretKeyIds: z.array(z.string()).optional(),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;
