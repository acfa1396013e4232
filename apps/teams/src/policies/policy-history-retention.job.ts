import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { RetentionRule, RetentionSweepJob } from '@tessera/persistence';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { DataSource } from 'typeorm';

/**
 * Deletes policy versions that were replaced more than `TESSERA_POLICY_HISTORY_DAYS` ago: a version goes once a
 * newer one of the same account is that old, so the history still shows what applied at any time within the
 * window. The current version of an account is never deleted (nothing replaced it), and numbering carries on from
 * it, so a deleted version's number never comes back.
 */
@Injectable()
export class PolicyHistoryRetentionJob extends RetentionSweepJob<'policyVersions'> {
  private readonly days: number;

  constructor(dataSource: DataSource, @Inject(CONFIG) config: ServiceConfig, @Inject(LOGGER) logger: Logger) {
    super(dataSource, config, logger, 'teams.policy-history');
    this.days = config.policyHistoryDays;
  }

  protected rules(): (RetentionRule & { name: 'policyVersions' })[] {
    return [
      {
        name: 'policyVersions',
        table: 'teams.policy_versions',
        // The primary key (account_id, version) answers the lookup of a newer version.
        where: `EXISTS (SELECT 1 FROM teams.policy_versions newer
                         WHERE newer.account_id = policy_versions.account_id
                           AND newer.version > policy_versions.version
                           AND newer.created_at < now() - make_interval(days => $1))`,
        parameters: [this.days],
      },
    ];
  }
}
