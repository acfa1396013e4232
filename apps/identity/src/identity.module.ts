import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { CONFIG } from '@tessera/runtime';
import { ServiceConfig } from '@tessera/config';
import { DeviceGrant } from './device/device-grant.entity';
import { DeviceLoginService } from './device/device-login.service';
import { ExpiredRowsSweepJob } from './housekeeping/expired-rows-sweep.job';
import { DnsTxtLookup } from './domains/dns-txt-lookup';
import { Domain } from './domains/domain.entity';
import { DomainsHandler } from './domains/domains.handler';
import { DomainsService } from './domains/domains.service';
import { DomainRecheckJob } from './domains/domain-recheck.job';
import { IdentityHandler } from './identity.handler';
import { IdentitySchema1764600000000 } from './migrations/1764600000000-identity-schema';
import { Saml1764900000000 } from './migrations/1764900000000-saml';
import { Domains1765000000000 } from './migrations/1765000000000-domains';
import { SsoConnections1765200000000 } from './migrations/1765200000000-sso-connections';
import { DomainRechecks1765300000000 } from './migrations/1765300000000-domain-rechecks';
import { ExpiringRows1765431700000 } from './migrations/1765431700000-expiring-rows';
import { SessionSignInTime1765600000000 } from './migrations/1765600000000-session-sign-in-time';
import { SsoConnectionLastTest1765700000000 } from './migrations/1765700000000-sso-connection-last-test';
import { SamlAssertionExpiry1765900000000 } from './migrations/1765900000000-saml-assertion-expiry';
import { SamlResponseValidator } from './saml/saml-response-validator';
import { SamlSignInService } from './saml/saml-sign-in.service';
import { SamlPendingRequest, SamlUsedAssertion } from './saml/saml-state.entity';
import { SamlStateRepository } from './saml/saml-state.repository';
import { RefreshToken, Session } from './sessions/session.entity';
import { PolicyEventsHandler } from './sessions/policy-events.handler';
import { SessionPolicy } from './sessions/session-policy';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { SignInPolicy } from './signin/sign-in-policy';
import { SignInService } from './signin/sign-in.service';
import { SsoConnection } from './sso/sso-connection.entity';
import { SsoConnectionsService } from './sso/sso-connections.service';
import { SsoSignInService } from './sso/sso-sign-in.service';
import { SsoHandler } from './sso/sso.handler';
import { SIGN_IN_PROVIDERS, signInProviders } from './signin/sign-in-providers';
import { SignInAttempt } from './signin/signin-attempt.entity';
import { AccessTokensService } from './tokens/access-tokens.service';
import { SigningKey } from './tokens/signing-key.entity';
import { SigningKeysService } from './tokens/signing-keys.service';
import { LinkedIdentity } from './users/linked-identity.entity';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';

/** Users, linked identities, sessions and login tokens, device login, SAML single sign-on (later: SSO connections). */
@Module({})
export class IdentityModule {}

export const identityService = defineService('identity', {
  module: IdentityModule,
  entities: [
    User,
    LinkedIdentity,
    Session,
    RefreshToken,
    SignInAttempt,
    DeviceGrant,
    SigningKey,
    SamlPendingRequest,
    SamlUsedAssertion,
    Domain,
    SsoConnection,
  ],
  migrations: [
    IdentitySchema1764600000000,
    Saml1764900000000,
    Domains1765000000000,
    SsoConnections1765200000000,
    DomainRechecks1765300000000,
    ExpiringRows1765431700000,
    SessionSignInTime1765600000000,
    SsoConnectionLastTest1765700000000,
    SamlAssertionExpiry1765900000000,
  ],
  controllers: [IdentityHandler, DomainsHandler, SsoHandler],
  providers: [
    {
      provide: SIGN_IN_PROVIDERS,
      useFactory: (config: ServiceConfig) => signInProviders(config),
      inject: [CONFIG],
    },
    SigningKeysService,
    AccessTokensService,
    SessionsRepository,
    SessionsService,
    SessionPolicy,
    PolicyEventsHandler,
    UsersService,
    SignInService,
    SignInPolicy,
    DeviceLoginService,
    SamlResponseValidator,
    SamlStateRepository,
    SamlSignInService,
    SsoConnectionsService,
    SsoSignInService,
    DnsTxtLookup,
    DomainsService,
    ExpiredRowsSweepJob,
    DomainRecheckJob,
  ],
});
