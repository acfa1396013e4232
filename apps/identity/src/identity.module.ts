import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';

/** Users, linked identities, sessions and login tokens, device login, SSO connections. */
@Module({})
export class IdentityModule {}

export const identityService = defineService('identity', { module: IdentityModule });
