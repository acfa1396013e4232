import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { ApiKey, KeySecret } from './keys/api-key.entity';
import { AccountPoliciesRepository } from './keys/account-policies.repository';
import { KeyPolicyService } from './keys/key-policy.service';
import { KeysRepository } from './keys/keys.repository';
import { KeysService } from './keys/keys.service';
import { PolicyEventsHandler } from './keys/policy-events.handler';
import { TeamMovedEventsHandler } from './keys/team-moved-events.handler';
import { KeysHandler } from './keys.handler';
import { Keys1764800000000 } from './migrations/1764800000000-keys';
import { KeyPepperIds1765300000000 } from './migrations/1765300000000-key-pepper-ids';
import { AccountKeyPolicies1765431900000 } from './migrations/1765431900000-account-key-policies';
import { UsageByHour1765900000000 } from './migrations/1765900000000-usage-by-hour';
import { TeamSecrets1766100000000 } from './migrations/1766100000000-team-secrets';
import { SecretsHandler } from './secrets/secrets.handler';
import { SecretsRepository } from './secrets/secrets.repository';
import { SecretsService } from './secrets/secrets.service';
import { UsageRetentionJob } from './usage/usage-retention.job';
import { UsageService } from './usage/usage.service';

/**
 * API keys: issue, verify, revoke, rotate; the keys part of org policies; request attribution and usage; team
 * secrets.
 */
@Module({})
export class KeysModule {}

export const keysService = defineService('keys', {
  module: KeysModule,
  entities: [ApiKey, KeySecret],
  migrations: [
    Keys1764800000000,
    KeyPepperIds1765300000000,
    AccountKeyPolicies1765431900000,
    UsageByHour1765900000000,
    TeamSecrets1766100000000,
  ],
  controllers: [KeysHandler, SecretsHandler],
  providers: [
    KeysRepository,
    AccountPoliciesRepository,
    KeysService,
    KeyPolicyService,
    PolicyEventsHandler,
    TeamMovedEventsHandler,
    UsageService,
    UsageRetentionJob,
    SecretsRepository,
    SecretsService,
  ],
});
