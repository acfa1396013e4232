import { TestingModule } from '@nestjs/testing';
import { LOGGER, createLogger } from '@tessera/runtime';
import { LogCapture, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { identityService } from '../identity.module';
import { ExpiredRowsSweepJob } from './expired-rows-sweep.job';

/** Medium spec: identity's expiry sweep on a migrated identity schema, rows seeded by age. */
describe('ExpiredRowsSweepJob', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let job: ExpiredRowsSweepJob;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(identityService);
    module = await db.module([
      { provide: LOGGER, useValue: createLogger('identity', 'debug', logs) },
      ExpiredRowsSweepJob,
    ]);
    job = module.get(ExpiredRowsSweepJob);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** Expiry relative to now, as PostgreSQL reads it: '-2 hours' is two hours ago. */
  const signinAttempt = (label: string, expiry: string) =>
    db.query(
      `INSERT INTO identity.signin_attempts (state_hash, provider, code_verifier, return_to, expires_at)
       VALUES ($1, 'github', 'verifier', $1, now() + $2::interval)`,
      [label, expiry],
    );
  const deviceGrant = (label: string, expiry: string) =>
    db.query(
      `INSERT INTO identity.device_grants (id, device_code_hash, user_code, interval_seconds, expires_at)
       VALUES ($1, $2, $2, 5, now() + $3::interval)`,
      [randomUUID(), label, expiry],
    );
  const samlRequest = (label: string, expiry: string) =>
    db.query(
      `INSERT INTO identity.saml_requests (id_hash, connection_id, purpose, return_to, expires_at)
       VALUES ($1, $2, 'signin', '/', now() + $3::interval)`,
      [label, randomUUID(), expiry],
    );
  const samlAssertion = (label: string, expiry: string) =>
    db.query(
      `INSERT INTO identity.saml_assertions (connection_id, assertion_id, expires_at)
       VALUES ($1, $2, now() + $3::interval)`,
      [randomUUID(), label, expiry],
    );
  const left = async (table: string, column: string) =>
    (await db.query<{ label: string }>(`SELECT ${column} AS label FROM identity.${table} ORDER BY 1`)).map(
      (row) => row.label,
    );

  it('removes 2 sign-in attempts, 2 device grants, 2 SAML requests and 2 SAML assertions; keeps 2, 2, 1 and 2', async () => {
    await signinAttempt('attempt-expired-1h', '-1 hour');
    await signinAttempt('attempt-expired-1s', '-1 second');
    await signinAttempt('attempt-live-a', '10 minutes');
    await signinAttempt('attempt-live-b', '1 minute');
    await deviceGrant('grant-expired-2h', '-2 hours');
    await deviceGrant('grant-expired-61m', '-61 minutes');
    await deviceGrant('grant-in-grace-59m', '-59 minutes'); // a late poll still hears expired_token
    await deviceGrant('grant-live', '10 minutes');
    await samlRequest('request-expired-1d', '-1 day');
    await samlRequest('request-expired-1s', '-1 second');
    await samlRequest('request-live', '5 minutes');
    await samlAssertion('assertion-expired-1h', '-1 hour');
    await samlAssertion('assertion-expired-6m', '-6 minutes');
    await samlAssertion('assertion-in-skew-4m', '-4 minutes'); // a clock behind PostgreSQL's may still accept it
    await samlAssertion('assertion-live', '5 minutes');

    expect(await job.sweep()).toEqual({
      signinAttempts: 2,
      deviceGrants: 2,
      samlRequests: 2,
      samlAssertions: 2,
    });

    expect(await left('signin_attempts', 'state_hash')).toEqual(['attempt-live-a', 'attempt-live-b']);
    expect(await left('device_grants', 'user_code')).toEqual(['grant-in-grace-59m', 'grant-live']);
    expect(await left('saml_requests', 'id_hash')).toEqual(['request-live']);
    expect(await left('saml_assertions', 'assertion_id')).toEqual(['assertion-in-skew-4m', 'assertion-live']);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        sweep: 'identity.expired-rows',
        removed: { signinAttempts: 2, deviceGrants: 2, samlRequests: 2, samlAssertions: 2 },
        msg: 'retention sweep done',
      }),
    );

    // A second pass finds nothing left to remove.
    expect(await job.sweep()).toEqual({
      signinAttempts: 0,
      deviceGrants: 0,
      samlRequests: 0,
      samlAssertions: 0,
    });
  });

  it('skips its pass, removing nothing, while another replica holds the sweep', async () => {
    await signinAttempt('attempt-expired-while-locked', '-1 hour');
    const other = db.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('identity.expired-rows'))`);
      expect(await job.sweep()).toBe('skipped');
      expect(await left('signin_attempts', 'state_hash')).toContain('attempt-expired-while-locked');
      await other.query(`SELECT pg_advisory_unlock(hashtext('identity.expired-rows'))`);
    } finally {
      await other.release();
    }
    expect(await job.sweep()).toMatchObject({ signinAttempts: 1 });
  });
});
