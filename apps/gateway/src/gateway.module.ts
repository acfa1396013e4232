import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { Logger, RedisModule, ServiceKitModule } from '@tessera/runtime';
import { AccessTokenVerifier } from './auth/access-token-verifier';
import { ActiveAccountService } from './auth/active-account.service';
import { AuthController } from './auth/auth.controller';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { BrowserSessionService } from './auth/browser-session.service';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { SessionRevocations } from './auth/session-revocations';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { PagesController } from './pages/pages.controller';
import { InvitationsController } from './teams/invitations.controller';
import { TeamAccessGuard } from './teams/team-access.guard';
import { TeamsController } from './teams/teams.controller';
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
      controllers: [
        HealthController,
        AuthController,
        MeController,
        PagesController,
        TeamsController,
        InvitationsController,
      ],
      providers: [
        ReadinessService,
        SessionRevocations,
        AccessTokenVerifier,
        ActiveAccountService,
        BrowserSessionService,
        BearerAuthGuard,
        RateLimitGuard,
        TeamAccessGuard,
      ],
    };
  }
}
