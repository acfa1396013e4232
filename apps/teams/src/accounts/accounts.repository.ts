import { Injectable } from '@nestjs/common';
import { AccountKind } from '@tessera/contracts';
import { BoundRepository } from '@tessera/persistence';
import { IsNull } from 'typeorm';
import { Account } from './account.entity';

/** Accounts as the membership and invitation rules need them: live ones, and their rows as locks. */
@Injectable()
export class AccountsRepository extends BoundRepository {
  /** The account if it exists, is not archived and (when given) is of that kind; write-locked if asked. */
  findLive(
    id: string,
    { kind, lock = false }: { kind?: AccountKind; lock?: boolean } = {},
  ): Promise<Account | null> {
    return this.manager.findOne(Account, {
      where: { id, archivedAt: IsNull(), ...(kind ? { kind } : {}) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** The organization's live teams, write-locked in id order (so two lockers wait, never deadlock). */
  lockLiveTeamsOf(organizationId: string): Promise<Account[]> {
    return this.manager.find(Account, {
      where: { organizationId, archivedAt: IsNull() },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Holds the account's row in share mode until commit: a concurrent change to it (a policy) waits. */
  async lockForShare(id: string): Promise<void> {
    await this.manager.findOne(Account, { where: { id }, lock: { mode: 'pessimistic_read' } });
  }
}
