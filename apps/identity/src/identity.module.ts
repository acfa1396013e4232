import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { CONFIG } from '@tessera/runtime';
import { ServiceConfig } from '@tessera/config';
import { DeviceGrant } from './device/device-grant.entity';
import { DeviceLoginService } from './device/device-login.service';
import { IdentityHandler } from './identity.handler';
import { IdentitySchema1764600000000 } from './migrations/1764600000000-identity-schema';
import { RefreshToken, Session } from './sessions/session.entity';
import { SessionsService } from './sessions/sessions.service';
import { SignInService } from './signin/sign-in.service';
import { SIGN_IN_PROVIDERS, signInProviders } from './signin/sign-in-providers';
import { SignInAttempt } from './signin/signin-attempt.entity';
import { AccessTokensService } from './tokens/access-tokens.service';
import { SigningKey } from './tokens/signing-key.entity';
import { SigningKeysService } from './tokens/signing-keys.service';
import { LinkedIdentity } from './users/linked-identity.entity';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';

/** Users, linked identities, sessions and login tokens, device login (later: SSO connections). */
@Module({})
export class IdentityModule {}

export const identityService = defineService('identity', {
  module: IdentityModule,
  entities: [User, LinkedIdentity, Session, RefreshToken, SignInAttempt, DeviceGrant, SigningKey],
  migrations: [IdentitySchema1764600000000],
  controllers: [IdentityHandler],
  providers: [
    {
      provide: SIGN_IN_PROVIDERS,
      useFactory: (config: ServiceConfig) => signInProviders(config),
      inject: [CONFIG],
    },
    SigningKeysService,
    AccessTokensService,
    SessionsService,
    UsersService,
    SignInService,
    DeviceLoginService,
  ],
});
