import { TestingModule } from '@nestjs/testing';
import { LOGGER, createLogger } from '@tessera/runtime';
import { LogCapture, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { InvitationCancellations } from '../invitations/invitation-cancellations.service';
import { InvitationsRepository } from '../invitations/invitations.repository';
import { teamsService } from '../teams.module';
import { PoliciesService } from './policies.service';
import { PolicyHistoryRetentionJob } from './policy-history-retention.job';

/** Medium spec: the policy history sweep on a migrated teams schema, with the default 365 days of history. */
describe('PolicyHistoryRetentionJob', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let job: PolicyHistoryRetentionJob;
  let policies: PoliciesService;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(teamsService);
    module = await db.module([
      { provide: LOGGER, useValue: createLogger('teams', 'info', logs) },
      InvitationsRepository,
      InvitationCancellations,
      PoliciesService,
      PolicyHistoryRetentionJob,
    ]);
    job = module.get(PolicyHistoryRetentionJob);
    policies = module.get(PoliciesService);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** An organization whose policy versions 1, 2, … were written the given time ago (oldest first). */
  const organization = async (...ages: string[]) => {
    const id = randomUUID();
    await db.query(`INSERT INTO teams.accounts (id, kind, name) VALUES ($1, 'organization', 'Org')`, [id]);
    for (const [index, age] of ages.entries())
      await db.query(
        `INSERT INTO teams.policy_versions (account_id, version, settings, actor_user_id, created_at)
         VALUES ($1, $2, $3, $4, now() - $5::interval)`,
        [id, index + 1, { 'data.retentionDays': 100 - index }, randomUUID(), age],
      );
    return id;
  };
  const listed = async (accountId: string) => (await policies.versions(accountId)).map((v) => v.version);

  it('removes the 3 versions replaced over 365 days ago; keeps each current version and those replaced since', async () => {
    // v1 and v2 replaced 700 and 400 days ago; v3 replaced 300 days ago (by v4, the current one).
    const changing = await organization('800 days', '700 days', '400 days', '300 days');
    // The only version, however old, is the policy in force.
    const settled = await organization('5 years');
    // v1 replaced 366 days ago by v2, the current one.
    const quiet = await organization('3 years', '366 days');

    expect(await job.sweep()).toEqual({ policyVersions: 3 });

    expect(await listed(changing)).toEqual([4, 3]);
    expect(await listed(settled)).toEqual([1]);
    expect(await listed(quiet)).toEqual([2]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ sweep: 'teams.policy-history', removed: { policyVersions: 3 } }),
    );

    // Numbering carries on from the current version: no number comes back.
    const next = await policies.set({
      accountId: quiet,
      actorUserId: randomUUID(),
      settings: { 'data.retentionDays': 30 },
      expectedVersion: 2,
    });
    expect(next.own.version).toBe(3);
    expect(await listed(quiet)).toEqual([3, 2]);
  });
});
