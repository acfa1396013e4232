import { Injectable } from '@nestjs/common';
import { UserSummary, UserView } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { IdentityErrors } from '../identity.errors';
import { ProviderProfile } from '../signin/providers/sign-in-provider';
import { LinkedIdentity } from './linked-identity.entity';
import { User } from './user.entity';

/**
 * An organization's single sign-on vouching for an e-mail address in a domain that organization verified: the
 * organization owns the address. `organizationProviders` are its own connections (`saml:<id>`).
 */
export interface EmailVouch {
  organizationProviders: ReadonlySet<string>;
  /** The user the person agreed to link to; any other link asks first (`LinkNeedsConfirmation`). */
  confirmedUserId?: string;
}

/**
 * Thrown when a vouched-for e-mail would link a new identity to an existing user the person has not agreed to: the
 * caller asks them first (decision 013), then calls again with `confirmedUserId`. Nothing was written.
 */
export class LinkNeedsConfirmation extends Error {
  constructor(
    readonly userId: string,
    readonly providers: string[],
  ) {
    super('linking needs confirmation');
  }
}

/**
 * Who a verified profile is. A user is found by (provider, subject) only; an e-mail that already belongs to a
 * user of another provider is never merged silently — that user must sign in their usual way and link.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * The user this profile signs in as, created on first sign-in (in the caller's transaction). With `vouch` — an
   * organization's SSO for an e-mail domain that organization verified — an existing user with that e-mail is
   * linked to the new identity instead of refused: the organization owns the address — once the person agreed
   * (`LinkNeedsConfirmation`). Never a user who signs in only through other organizations' connections: what one
   * organization's IdP asserted proves nothing to another.
   */
  async signInAs(
    manager: EntityManager,
    provider: string,
    profile: ProviderProfile,
    vouch?: EmailVouch,
  ): Promise<User> {
    const linked = await manager.findOneBy(LinkedIdentity, { provider, subject: profile.subject });
    if (linked) return manager.findOneByOrFail(User, { id: linked.userId });

    const owners = await manager
      .createQueryBuilder(LinkedIdentity, 'i')
      .innerJoin(User, 'u', 'u.id = i.user_id')
      .where('lower(u.email) = lower(:email) OR lower(i.email) = lower(:email)', { email: profile.email })
      .getMany();
    const ownerIds = [...new Set(owners.map((o) => o.userId))];
    if (vouch && ownerIds.length === 1 && (await this.mayLinkByEmail(manager, ownerIds[0], vouch))) {
      if (vouch.confirmedUserId !== ownerIds[0])
        throw new LinkNeedsConfirmation(ownerIds[0], [...new Set(owners.map((o) => o.provider))]);
      await this.link(manager, ownerIds[0], provider, profile);
      return manager.findOneByOrFail(User, { id: ownerIds[0] });
    }
    if (owners.length > 0)
      throw IdentityErrors.existsWithDifferentProvider([...new Set(owners.map((o) => o.provider))]);

    const user = manager.create(User, { id: uuidv7(), email: profile.email, name: profile.name });
    await manager.insert(User, user);
    await this.insertIdentity(manager, user.id, provider, profile);
    await this.outbox.add(manager, 'tessera.events.identity.user.created', {
      userId: user.id,
      email: user.email,
      provider,
    });
    return manager.findOneByOrFail(User, { id: user.id });
  }

  /** Whether a vouched-for e-mail may link to this user: one of its identities is not another organization's SSO. */
  private async mayLinkByEmail(manager: EntityManager, userId: string, vouch: EmailVouch): Promise<boolean> {
    const identities = await manager.findBy(LinkedIdentity, { userId });
    return identities.some(
      ({ provider }) => !provider.startsWith('saml:') || vouch.organizationProviders.has(provider),
    );
  }

  /** Adds a provider to a signed-in user. */
  async link(
    manager: EntityManager,
    userId: string,
    provider: string,
    profile: ProviderProfile,
  ): Promise<void> {
    const linked = await manager.findOneBy(LinkedIdentity, { provider, subject: profile.subject });
    if (linked && linked.userId !== userId) throw IdentityErrors.alreadyLinked(provider);
    if (linked) return;
    if (await manager.existsBy(LinkedIdentity, { userId, provider }))
      throw IdentityErrors.alreadyLinked(provider);
    await this.insertIdentity(manager, userId, provider, profile);
    await this.outbox.add(manager, 'tessera.events.identity.identity.linked', { userId, provider });
  }

  async unlink(userId: string, provider: string): Promise<UserView> {
    await this.dataSource.transaction(async (manager) => {
      const identities = await manager.find(LinkedIdentity, {
        where: { userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!identities.some((i) => i.provider === provider))
        throw IdentityErrors.notFound('That sign-in method');
      if (identities.length === 1) throw IdentityErrors.lastIdentity();
      await manager.delete(LinkedIdentity, { userId, provider });
      await this.outbox.add(manager, 'tessera.events.identity.identity.unlinked', { userId, provider });
    });
    return this.view(userId);
  }

  async summaries(userIds: string[]): Promise<UserSummary[]> {
    if (userIds.length === 0) return [];
    const users = await this.dataSource.getRepository(User).findBy({ id: In(userIds) });
    return users.map((user) => ({ id: user.id, email: user.email, name: user.name }));
  }

  async view(userId: string): Promise<UserView> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (!user) throw IdentityErrors.notFound('The user');
    const identities = await this.dataSource
      .getRepository(LinkedIdentity)
      .find({ where: { userId }, order: { createdAt: 'ASC' } });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      createdAt: user.createdAt.toISOString(),
      identities: identities.map((i) => ({
        provider: i.provider,
        email: i.email,
        linkedAt: i.createdAt.toISOString(),
      })),
    };
  }

  private async insertIdentity(
    manager: EntityManager,
    userId: string,
    provider: string,
    profile: ProviderProfile,
  ) {
    await manager.insert(LinkedIdentity, {
      id: uuidv7(),
      userId,
      provider,
      subject: profile.subject,
      email: profile.email,
    });
  }
}
