import { Injectable } from '@nestjs/common';
import { keyPolicyBreach } from '@tessera/authz';
import { KeyScope, PolicySettings, RpcClient, TesseraError } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { ApiKey } from './api-key.entity';

/**
 * The policies of organizations and teams, applied to keys: `keys.allowedScopes` and `keys.maxLifetimeDays`.
 * New keys that break the account's policy are refused; when a policy changes, existing keys that now break it
 * are revoked (a forbidden scope) or have their expiry brought forward (too long a lifetime) — with the events
 * that make every gateway forget them within a second.
 */
@Injectable()
export class KeyPolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
  ) {}

  /** Refuses (`policy_violation`) a key the account's effective policy does not allow. */
  async assertAllowed(accountId: string, key: { scope: KeyScope; expiresAt: Date | null }): Promise<void> {
    const { effective } = await this.rpc.request('tessera.teams.policy.get', { accountId });
    const breach = keyPolicyBreach(effective, { ...key, createdAt: new Date() });
    if (breach) throw new TesseraError('policy_violation', breach.message);
  }

  /**
   * Brings the account's live keys made up to `asOf` in line with `policy`. Keys made later were checked
   * against a newer policy, so an old event delivered again never touches them. Idempotent.
   */
  async apply(accountId: string, policy: PolicySettings, actorUserId: string, asOf: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const keys = await manager.find(ApiKey, {
        where: { accountId, revokedAt: IsNull(), createdAt: LessThanOrEqual(asOf) },
        lock: { mode: 'pessimistic_write' },
      });
      for (const key of keys) {
        const breach = keyPolicyBreach(policy, key);
        if (!breach) continue;
        const base = { keyId: key.id, accountId, actorUserId, reason: breach.message };
        if (breach.rule === 'keys.allowedScopes') {
          await manager.update(ApiKey, { id: key.id }, { revokedAt: new Date() });
          await this.outbox.add(manager, 'tessera.events.keys.key.revoked', base);
        } else {
          const days = policy['keys.maxLifetimeDays']!;
          const expiresAt = new Date(key.createdAt.getTime() + days * 86_400_000);
          await manager.update(ApiKey, { id: key.id }, { expiresAt });
          await this.outbox.add(manager, 'tessera.events.keys.key.expiry_shortened', {
            ...base,
            expiresAt: expiresAt.toISOString(),
          });
        }
      }
    });
  }
}
