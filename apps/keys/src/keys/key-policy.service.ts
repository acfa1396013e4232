import { Injectable } from '@nestjs/common';
import { keyPolicyBreach } from '@tessera/authz';
import { KeyScope, PolicySettings, RpcClient, TesseraError } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { EntityManager } from 'typeorm';
import { AccountPoliciesRepository } from './account-policies.repository';
import { KeysRepository } from './keys.repository';

/**
 * The policies of organizations and teams, applied to keys: `keys.allowedScopes` and `keys.maxLifetimeDays`.
 * New keys that break the account's policy are refused; when a policy changes or a team moves into an
 * organization, existing keys that now break it are revoked (a forbidden scope) or have their expiry brought
 * forward (too long a lifetime) — with the events that make every gateway forget them within a second.
 *
 * The service does not own policies. It keeps, per account, the newest policy an event brought (`account_policies`),
 * and that row is the account's lock: a key is checked and inserted while holding it in share mode, and a new
 * policy is recorded and applied to every live key while holding it exclusively. So a key made while a policy
 * changes is either refused by the new policy or already there when the new policy is applied — it cannot slip
 * between the check and the application.
 */
@Injectable()
export class KeyPolicyService {
  constructor(
    private readonly keys: KeysRepository,
    private readonly accountPolicies: AccountPoliciesRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
  ) {}

  /**
   * Inside the transaction that inserts the key: takes the account's policy row in share mode (held until commit),
   * then refuses (`policy_violation`) a key the account's effective policy does not allow, as teams answers it
   * now. Asking teams only once the lock is held is what closes the race: a policy application still to come
   * waits for this key and then sees it; one already applied means teams already answers the new policy.
   * Concurrent key creations share the lock. (The local copy itself is not checked: after a loosening it lags
   * behind teams by up to the event's delivery, and would refuse keys the policy allows.)
   */
  async assertAllowed(
    manager: EntityManager,
    accountId: string,
    key: { scope: KeyScope; expiresAt: Date | null },
  ): Promise<void> {
    await this.accountPolicies.in(manager).holdShared(accountId);
    const breach = keyPolicyBreach(await this.effectiveNow(accountId), { ...key, createdAt: new Date() });
    if (breach) throw new TesseraError('policy_violation', breach.message);
  }

  /** The account's effective policy as teams answers it now. */
  async effectiveNow(accountId: string): Promise<PolicySettings> {
    return (await this.rpc.request('tessera.teams.policy.get', { accountId })).effective;
  }

  /**
   * Stores `policy` as the account's copy and brings every live key of the account in line with it, under the
   * account's lock. An event older than the copy (delivered again, or overtaken) changes nothing, so it never
   * undoes a newer policy. Idempotent.
   */
  async apply(accountId: string, policy: PolicySettings, actorUserId: string, asOf: Date): Promise<void> {
    await this.keys.transaction(async (manager) => {
      if (!(await this.accountPolicies.in(manager).storeUnlessNewer(accountId, policy, asOf))) return;
      const keys = this.keys.in(manager);
      for (const key of await keys.lockAllLive(accountId)) {
        const breach = keyPolicyBreach(policy, key);
        if (!breach) continue;
        const base = { keyId: key.id, accountId, actorUserId, reason: breach.message };
        if (breach.rule === 'keys.allowedScopes') {
          await keys.revoke(key.id);
          await this.outbox.add(manager, 'tessera.events.keys.key.revoked', base);
        } else {
          const days = policy['keys.maxLifetimeDays']!;
          const expiresAt = new Date(key.createdAt.getTime() + days * 86_400_000);
          await keys.setExpiry(key.id, expiresAt);
          await this.outbox.add(manager, 'tessera.events.keys.key.expiry_shortened', {
            ...base,
            expiresAt: expiresAt.toISOString(),
          });
        }
      }
    });
  }
}
