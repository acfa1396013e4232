import { Injectable } from '@nestjs/common';
import { BoundRepository } from '@tessera/persistence';
import { In } from 'typeorm';
import { Invitation } from './invitation.entity';

export type NewInvitation = Omit<Invitation, 'status' | 'acceptedByUserId' | 'finishedAt'>;

/** Invitations and their life: pending, then accepted or cancelled, once. */
@Injectable()
export class InvitationsRepository extends BoundRepository {
  async add(fields: NewInvitation): Promise<Invitation> {
    const invitation = this.manager.create(Invitation, { ...fields, status: 'pending' });
    await this.manager.insert(Invitation, invitation);
    return invitation;
  }

  /** The pending invitations of these accounts, oldest first. */
  listPendingIn(accountIds: string[]): Promise<Invitation[]> {
    return this.manager.find(Invitation, {
      where: { accountId: In(accountIds), status: 'pending' },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * The pending invitations of these accounts, write-locked in id order, so two changes over the same invitations
   * wait for each other and never deadlock.
   */
  lockPendingIn(accountIds: string[]): Promise<Invitation[]> {
    return this.manager.find(Invitation, {
      where: { accountId: In(accountIds), status: 'pending' },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The account's pending invitation for this address (compared case-insensitively), write-locked. */
  lockPendingByEmail(accountId: string, email: string): Promise<Invitation | null> {
    return this.manager
      .createQueryBuilder(Invitation, 'i')
      .setLock('pessimistic_write')
      .where("i.account_id = :accountId AND lower(i.email) = lower(:email) AND i.status = 'pending'", {
        accountId,
        email,
      })
      .getOne();
  }

  lockPendingById(accountId: string, id: string): Promise<Invitation | null> {
    return this.manager.findOne(Invitation, {
      where: { id, accountId, status: 'pending' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Unlocked: the caller locks the team first and then the invitation (`lock`), the order changes take them in. */
  findByTokenHash(tokenHash: string): Promise<Invitation | null> {
    return this.manager.findOneBy(Invitation, { tokenHash });
  }

  lock(id: string): Promise<Invitation> {
    return this.manager.findOneOrFail(Invitation, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async cancel(id: string): Promise<void> {
    await this.manager.update(Invitation, { id }, { status: 'cancelled', finishedAt: new Date() });
  }

  async accept(id: string, userId: string): Promise<void> {
    await this.manager.update(
      Invitation,
      { id },
      { status: 'accepted', acceptedByUserId: userId, finishedAt: new Date() },
    );
  }
}
