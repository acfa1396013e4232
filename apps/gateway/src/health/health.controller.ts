import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthReport, SERVICES, TesseraError, isServiceName } from '@tessera/contracts';
import { Response } from 'express';
import { ErrorEnvelope } from '../http/error-envelope';
import { Liveness, Readiness, ReadinessCheck } from './readiness.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@ApiExtraModels(ReadinessCheck)
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiOperation({ summary: 'The gateway process is up (for restarts; says nothing of dependencies).' })
  @ApiResponse({ status: 200, type: Liveness })
  live(): Liveness {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Every service answers and PostgreSQL, NATS and Redis are reachable (for routing traffic).',
  })
  @ApiResponse({ status: 200, type: Readiness, description: 'Ready.' })
  @ApiResponse({
    status: 503,
    type: Readiness,
    description: 'Not ready: `down` names each part that is down.',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const readiness = await this.readiness.check();
    response.status(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }

  @Get('services/:service')
  @ApiOperation({ summary: "One service's own health report, asked over NATS." })
  @ApiParam({ name: 'service', enum: SERVICES })
  @ApiResponse({ status: 200, description: 'The service answered (its `status` may still be `down`).' })
  @ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`: no such service.' })
  @ApiResponse({
    status: 503,
    type: ErrorEnvelope,
    description: '`service_unavailable`: the service did not answer.',
  })
  service(@Param('service') service: string): Promise<HealthReport> {
    if (!isServiceName(service))
      throw new TesseraError('not_found', `There is no service named "${service}".`);
    return this.readiness.report(service);
  }
}
