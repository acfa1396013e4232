import { TestingModule } from '@nestjs/testing';
import { PolicySettings, RpcClient, TesseraError } from '@tessera/contracts';
import { SecretFingerprint } from '@tessera/persistence';
import { API_KEY_PEPPER_PURPOSE, Keyring, apiKeyHash } from '@tessera/runtime';
import { RpcStandIn, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { keysService } from '../keys.module';
import { AccountPoliciesRepository } from './account-policies.repository';
import { KeyPolicyService } from './key-policy.service';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';

const DAY_MS = 86_400_000;

/** Medium spec: key rules on a migrated keys schema; teams' policy answer is an in-process stand-in. */
describe('KeysService', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let keys: KeysService;
  let keyPolicy: KeyPolicyService;
  let pepper: Buffer;
  /** What teams answers as each account's effective policy. */
  const policies = new Map<string, PolicySettings>();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(keysService);
    const teams = new RpcStandIn({
      'tessera.teams.policy.get': ({ accountId }) => ({
        accountId,
        own: { accountId, version: 0, settings: {}, updatedByUserId: null, updatedAt: null },
        organization: null,
        effective: policies.get(accountId) ?? {},
      }),
    });
    const keyring = Keyring.fromConfig(db.config);
    module = await db.module([
      { provide: RpcClient, useValue: teams.client },
      {
        provide: SecretFingerprint,
        useFactory: (dataSource: DataSource) => new SecretFingerprint(dataSource, keyring, 'keys'),
        inject: [DataSource],
      },
      KeysRepository,
      AccountPoliciesRepository,
      KeyPolicyService,
      KeysService,
    ]);
    keys = module.get(KeysService);
    keyPolicy = module.get(KeyPolicyService);
    pepper = keyring.derive(API_KEY_PEPPER_PURPOSE)[0].key;
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  const account = () => ({ accountId: randomUUID(), actorUserId: randomUUID() });
  const verify = (secret: string) => keys.verify({ hash: apiKeyHash(pepper, secret) });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: TesseraError) => error.code,
    );

  it('issues a key whose secret verifies to its account and scope', async () => {
    const command = account();
    const { key, secret } = await keys.create({ ...command, name: 'CI', scope: 'API' });
    expect(key).toMatchObject({ name: 'CI', scope: 'API', accountId: command.accountId, expiresAt: null });
    expect(secret.endsWith(key.last4)).toBe(true);
    await expect(verify(secret)).resolves.toEqual({
      keyId: key.id,
      accountId: command.accountId,
      scope: 'API',
      validUntil: null,
    });
  });

  // Names, scopes and grace periods are checked by the subject's schema (libs/contracts/src/keys.spec.ts); the
  // clock is the service's.
  it('refuses a key expiring in the past', async () => {
    const command = account();
    await expect(
      code(
        keys.create({
          ...command,
          name: 'x',
          scope: 'API',
          expiresAt: new Date(Date.now() - 1000).toISOString(),
        }),
      ),
    ).resolves.toBe('validation_failed');
    expect(await keys.list(command.accountId)).toEqual([]);
  });

  it("refuses a key the account's policy does not allow: a forbidden scope, a lifetime too long", async () => {
    const command = account();
    policies.set(command.accountId, { 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 30 });
    await expect(code(keys.create({ ...command, name: 'admin', scope: 'ADMIN' }))).resolves.toBe(
      'policy_violation',
    );
    await expect(code(keys.create({ ...command, name: 'forever', scope: 'API' }))).resolves.toBe(
      'policy_violation',
    );
    const expiresAt = new Date(Date.now() + 10 * DAY_MS).toISOString();
    await expect(keys.create({ ...command, name: 'short', scope: 'API', expiresAt })).resolves.toMatchObject({
      key: { expiresAt },
    });
  });

  it('stops a key at its expiry', async () => {
    const { secret, key } = await keys.create({ ...account(), name: 'x', scope: 'API' });
    await db.query(`UPDATE keys.api_keys SET expires_at = now() WHERE id = $1`, [key.id]);
    await expect(code(verify(secret))).resolves.toBe('invalid_credentials');
  });

  it('revokes for good: the key leaves the list, its secret stops, a second revoke finds nothing', async () => {
    const command = account();
    const { key, secret } = await keys.create({ ...command, name: 'x', scope: 'API' });
    await keys.revoke({ ...command, keyId: key.id });
    expect(await keys.list(command.accountId)).toEqual([]);
    await expect(code(verify(secret))).resolves.toBe('invalid_credentials');
    await expect(code(keys.revoke({ ...command, keyId: key.id }))).resolves.toBe('not_found');
  });

  it("cannot touch another account's key", async () => {
    const owner = account();
    const { key, secret } = await keys.create({ ...owner, name: 'x', scope: 'API' });
    const other = account();
    await expect(code(keys.revoke({ ...other, keyId: key.id }))).resolves.toBe('not_found');
    await expect(code(keys.rotate({ ...other, keyId: key.id, graceSeconds: 0 }))).resolves.toBe('not_found');
    await expect(verify(secret)).resolves.toMatchObject({ keyId: key.id });
  });

  it('rotates with a grace period: both secrets work until it ends, with the same key behind them', async () => {
    const command = account();
    const first = await keys.create({ ...command, name: 'x', scope: 'API' });
    const second = await keys.rotate({ ...command, keyId: first.key.id, graceSeconds: 3600 });
    expect(second.secret).not.toBe(first.secret);
    expect(second.key.id).toBe(first.key.id);
    const graceEnd = Date.parse(second.key.previousSecretValidUntil!);
    expect(Math.abs(graceEnd - (Date.now() + 3600_000))).toBeLessThan(5000);
    await expect(verify(first.secret)).resolves.toMatchObject({
      validUntil: second.key.previousSecretValidUntil,
    });
    await expect(verify(second.secret)).resolves.toMatchObject({ validUntil: null });
  });

  it('rotates without grace: the old secret stops at once, and a rotation never extends an earlier grace', async () => {
    const command = account();
    const first = await keys.create({ ...command, name: 'x', scope: 'API' });
    const second = await keys.rotate({ ...command, keyId: first.key.id, graceSeconds: 3600 });
    const third = await keys.rotate({ ...command, keyId: first.key.id, graceSeconds: 7200 });
    const [{ expires_at }] = await db.query<{ expires_at: Date }>(
      `SELECT expires_at FROM keys.key_secrets WHERE key_id = $1 ORDER BY created_at LIMIT 1`,
      [first.key.id],
    );
    expect(expires_at.toISOString()).toBe(second.key.previousSecretValidUntil);
    await keys.rotate({ ...command, keyId: first.key.id, graceSeconds: 0 });
    await expect(code(verify(first.secret))).resolves.toBe('invalid_credentials');
    await expect(code(verify(third.secret))).resolves.toBe('invalid_credentials');
  });

  it('refuses malformed hashes and hashes of no key alike', async () => {
    await expect(code(keys.verify({ hash: 'short' }))).resolves.toBe('invalid_credentials');
    await expect(code(keys.verify({ hash: 'a'.repeat(43) }))).resolves.toBe('invalid_credentials');
  });

  it('a new policy revokes keys of a forbidden scope and brings long expiries forward', async () => {
    const command = account();
    const admin = await keys.create({ ...command, name: 'admin', scope: 'ADMIN' });
    const api = await keys.create({ ...command, name: 'api', scope: 'API' });
    await keyPolicy.apply(
      command.accountId,
      { 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 7 },
      command.actorUserId,
      new Date(),
    );
    await expect(code(verify(admin.secret))).resolves.toBe('invalid_credentials');
    const [listed] = await keys.list(command.accountId);
    expect(listed.id).toBe(api.key.id);
    expect(Date.parse(listed.expiresAt!)).toBe(Date.parse(api.key.createdAt) + 7 * DAY_MS);
  });

  it('an older policy than the one applied changes nothing', async () => {
    const command = account();
    const { secret } = await keys.create({ ...command, name: 'admin', scope: 'ADMIN' });
    await keyPolicy.apply(command.accountId, {}, command.actorUserId, new Date());
    await keyPolicy.apply(
      command.accountId,
      { 'keys.allowedScopes': ['API'] },
      command.actorUserId,
      new Date(Date.now() - 60_000),
    );
    await expect(verify(secret)).resolves.toMatchObject({ scope: 'ADMIN' });
  });
});
