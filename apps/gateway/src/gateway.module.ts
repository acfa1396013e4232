import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { Logger, RedisModule, ServiceKitModule } from '@tessera/runtime';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';

/** The public HTTP origin. It holds no tables: it authenticates, authorizes and asks the services over NATS. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ServiceKitModule.forService({ service: 'gateway', config, logger }),
        RedisModule.forUrl(config.redisUrl, 'tessera-gateway'),
      ],
      controllers: [HealthController],
      providers: [ReadinessService],
    };
  }
}
