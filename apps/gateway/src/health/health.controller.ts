import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthReport,
  Liveness,
  LivenessSchema,
  Readiness,
  ReadinessSchema,
  SERVICES,
  ServiceName,
  ServicesHealth,
  ServicesHealthSchema,
  ShownHealthReportSchema,
} from '@tessera/contracts';
import { Response } from 'express';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint';
import { ReadinessService } from './readiness.service';

const ServicePath = z.strictObject({
  service: z.enum(SERVICES, { error: `The service is one of ${SERVICES.join(', ')}.` }),
});

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @Endpoint({
    summary: 'The gateway process is up (for restarts; says nothing of dependencies).',
    response: LivenessSchema,
    status: 200,
  })
  live(): Liveness {
    return { status: 'live' };
  }

  @Get('ready')
  @Endpoint({
    summary:
      'This gateway can serve: its NATS and Redis answer, and so does an identity service (for a readiness probe).',
    description:
      "Not ready: 503 with the same body, `down` naming what is down. Other services' health does not count: see `/health/services`.",
    response: ReadinessSchema,
    status: 200,
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const readiness = await this.readiness.ready();
    response.status(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }

  @Get('services')
  @Endpoint({
    summary: "Every service's own health, asked over NATS (for monitoring, not for a probe).",
    description: 'Any service down or not answering: 503 with the same body, `down` naming it.',
    response: ServicesHealthSchema,
    status: 200,
  })
  async services(@Res({ passthrough: true }) response: Response): Promise<ServicesHealth> {
    const health = await this.readiness.services();
    response.status(health.status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return health;
  }

  @Get('services/:service')
  @Endpoint({
    summary: "One service's own health report, asked over NATS (its `status` may still be `down`).",
    params: ServicePath,
    response: ShownHealthReportSchema,
    status: 200,
    errors: { service_unavailable: 'The service did not answer.' },
  })
  service(@Param('service') service: ServiceName): Promise<HealthReport> {
    return this.readiness.report(service);
  }
}
