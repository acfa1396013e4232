import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HealthStatus, SERVICES, ServiceName } from '@tessera/contracts';

export class ReadinessCheck {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: HealthStatus;
  @ApiPropertyOptional({
    description:
      "A service's own dependencies, e.g. `{ database: { status: 'up' } }`. Why one is down is logged, not shown.",
    additionalProperties: true,
  })
  checks?: Record<string, { status: HealthStatus }>;
}

export class Readiness {
  @ApiProperty({ enum: ['ready', 'unavailable'] })
  status!: 'ready' | 'unavailable';
  @ApiProperty({
    description: 'Names of the services and dependencies that are down; empty when ready.',
    example: [],
  })
  down!: string[];
  @ApiProperty({
    description: `One entry per service: ${SERVICES.join(', ')}.`,
    additionalProperties: { $ref: '#/components/schemas/ReadinessCheck' },
  })
  services!: Record<ServiceName, ReadinessCheck>;
  @ApiProperty({
    description: 'PostgreSQL, NATS and Redis as the gateway reaches them.',
    additionalProperties: { $ref: '#/components/schemas/ReadinessCheck' },
  })
  dependencies!: Record<'postgres' | 'nats' | 'redis', ReadinessCheck>;
}

export class Liveness {
  @ApiProperty({ enum: ['live'] })
  status!: 'live';
}
