import { z } from 'zod';
import { fieldsFor } from './schema';
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

/** A part of Tessera as the gateway's readiness shows it: up or down, and a service's own dependencies. */
export const ReadinessCheckSchema = z
  .object({
    status: HealthStatusSchema,
    checks: z
      .record(z.string(), z.object({ status: HealthStatusSchema }))
      .optional()
      .meta({
        description:
          "A service's own dependencies, e.g. `{ database: { status: 'up' } }`. Why one is down is logged, not shown.",
      }),
  })
  .meta({ id: 'ReadinessCheck' });
export type ReadinessCheck = z.infer<typeof ReadinessCheckSchema>;

/** What a gateway needs to serve: its own NATS and Redis connections, and an identity service that answers. */
export const READINESS_DEPENDENCIES = ['nats', 'redis', 'identity'] as const;

export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    down: z.array(z.enum(READINESS_DEPENDENCIES)).meta({
      description: 'Names of the dependencies that are down; empty when ready.',
      example: [],
    }),
    dependencies: fieldsFor(READINESS_DEPENDENCIES, ReadinessCheckSchema).meta({
      description:
        "NATS and Redis as this gateway reaches them, and whether an identity service answers it over NATS (sign-in, sessions and the keys that verify access tokens). Other services' health is at `/health/services`.",
    }),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof ReadinessSchema>;

/** Every service's own report, as `/health/services` shows it. */
export const ServicesHealthSchema = z
  .object({
    status: HealthStatusSchema,
    down: z.array(z.enum(SERVICES)).meta({
      description:
        'Names of the services that did not answer or report themselves down; empty when all are up.',
      example: [],
    }),
    services: fieldsFor(SERVICES, ReadinessCheckSchema).meta({
      description: `One entry per service: ${SERVICES.join(', ')}.`,
    }),
  })
  .meta({ id: 'ServicesHealth' });
export type ServicesHealth = z.infer<typeof ServicesHealthSchema>;

export const LivenessSchema = z.object({ status: z.literal('live') }).meta({ id: 'Liveness' });
export type Liveness = z.infer<typeof LivenessSchema>;

/** A service's own report as HTTP callers see it: each dependency up or down, never why, nor the secret ids. */
export const ShownHealthReportSchema = HealthReportSchema.omit({ secretKeyIds: true }).extend({
  checks: z.record(z.string(), z.object({ status: HealthStatusSchema })),
});
