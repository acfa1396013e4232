import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { RetentionRule, RetentionSweepJob } from '@tessera/persistence';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { DataSource } from 'typeorm';

type ExpiredRows = 'signinAttempts' | 'deviceGrants' | 'samlRequests' | 'samlAssertions';

/**
 * Deletes identity's short-lived rows once they can no longer be used: expired sign-in attempts (their `return_to`
 * may carry an invitation link, which must not outlive the attempt), device grants an hour past expiry (meanwhile a
 * polling CLI hears `expired_token` or `access_denied` rather than the `invalid_grant` of a grant that never was),
 * expired SAML requests, and used SAML assertions five minutes past the time they stop validating anyway (if a
 * replica's clock is behind PostgreSQL's, a replay may still validate there for a moment).
 */
@Injectable()
export class ExpiredRowsSweepJob extends RetentionSweepJob<ExpiredRows> {
  constructor(dataSource: DataSource, @Inject(CONFIG) config: ServiceConfig, @Inject(LOGGER) logger: Logger) {
    super(dataSource, config, logger, 'identity.expired-rows');
  }

  protected rules(): (RetentionRule & { name: ExpiredRows })[] {
    return [
      { name: 'signinAttempts', table: 'identity.signin_attempts', where: 'expires_at <= now()' },
      {
        name: 'deviceGrants',
        table: 'identity.device_grants',
        where: `expires_at <= now() - interval '1 hour'`,
      },
      { name: 'samlRequests', table: 'identity.saml_requests', where: 'expires_at <= now()' },
      {
        name: 'samlAssertions',
        table: 'identity.saml_assertions',
        where: `expires_at <= now() - interval '5 minutes'`,
      },
    ];
  }
}
