import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { Logger, RedisModule, ServiceKitModule } from '@tessera/runtime';
import { AccessTokenVerifier } from './auth/access-token-verifier';
import { ActiveAccountService } from './auth/active-account.service';
import { AuthController } from './auth/auth.controller';
import { SamlController } from './auth/saml.controller';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { BrowserSessionService } from './auth/browser-session.service';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { AttemptLimits } from './limits/attempt-limits';
import { InvitationLimits } from './limits/invitation-limits';
import { RateLimiter } from './limits/rate-limiter';
import { SessionRevocations } from './auth/session-revocations';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { PagesController } from './pages/pages.controller';
import { InvitationsController } from './teams/invitations.controller';
import { TeamAccessGuard } from './teams/team-access.guard';
import { TeamsController } from './teams/teams.controller';
import { OrgAccessGuard } from './orgs/org-access.guard';
import { OrgsController } from './orgs/orgs.controller';
import { SsoConnectionsController } from './orgs/sso-connections.controller';
import { DomainsController } from './orgs/domains.controller';
import { ReadinessService } from './health/readiness.service';
import { KeysController } from './accounts/keys.controller';
import { UsageController } from './accounts/usage.controller';
import { SecretsController } from './accounts/secrets.controller';
import { AuthzController } from './authz/authz.controller';
import { AuthzResponder } from './authz/authz-responder';
import { SecretsResponder } from './authz/secrets-responder';
import { CredentialGuard } from './authz/credential.guard';
import { DecisionPoint } from './authz/decision-point';
import { FailureLimiter } from './authz/failure-limiter';
import { KeyVerifier } from './authz/key-verifier';
import { Principals } from './authz/principals';
import { UsageRecorder } from './authz/usage-recorder';
import { EventFeed } from './directory/event-feed';
import { MembershipDirectory } from './directory/membership-directory';
import { PolicyDirectory } from './directory/policy-directory';
import { UserDirectory } from './directory/user-directory';
import { DevMailController } from './development/dev-mail.controller';
import { assertDevelopmentAllowed } from './development/development-mode';

/** The public HTTP origin. It holds no tables: it authenticates, authorizes and asks the services over NATS. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    assertDevelopmentAllowed(config);
    return {
      module: GatewayModule,
      imports: [
        ServiceKitModule.forService({ service: 'gateway', config, logger }),
        RedisModule.forUrl(config.redisUrl, 'tessera-gateway'),
      ],
      controllers: [
        HealthController,
        AuthController,
        SamlController,
        MeController,
        PagesController,
        TeamsController,
        InvitationsController,
        OrgsController,
        SsoConnectionsController,
        DomainsController,
        KeysController,
        UsageController,
        SecretsController,
        AuthzController,
        ...(config.developmentMailDir ? [DevMailController] : []),
      ],
      providers: [
        ReadinessService,
        SessionRevocations,
        AccessTokenVerifier,
        ActiveAccountService,
        BrowserSessionService,
        BearerAuthGuard,
        RateLimiter,
        RateLimitGuard,
        InvitationLimits,
        AttemptLimits,
        TeamAccessGuard,
        OrgAccessGuard,
        EventFeed,
        UserDirectory,
        MembershipDirectory,
        PolicyDirectory,
        KeyVerifier,
        FailureLimiter,
        UsageRecorder,
        Principals,
        DecisionPoint,
        AuthzResponder,
        SecretsResponder,
        CredentialGuard,
      ],
    };
  }
}
