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
    summary: 'Every service answers and PostgreSQL, NATS and Redis are reachable (for routing traffic).',
    description: 'Not ready: 503 with the same body, `down` naming each part that is down.',
    response: ReadinessSchema,
    status: 200,
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const readiness = await this.readiness.check();
    response.status(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
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
