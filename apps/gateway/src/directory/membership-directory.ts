import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { AccountInfo, AccountKind, AccountView, RpcClient, TesseraError, isUuid } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { EventFeed } from './event-feed';
import { LRUCache } from 'lru-cache';
import { fetchingCache, forgetWhere } from './cache';

/** Refusals that mean "not yours": answered as if the account did not exist. */
const HIDDEN = new Set(['not_a_member', 'account_archived']);
const notAMember = () => new TesseraError('not_a_member', 'You are not a member of that account.');
/** Entries kept at most: memberships (user × account) outnumber accounts and people. */
const MAX_MEMBERSHIPS = 100_000;
const MAX_ACCOUNTS = 50_000;
const MAX_PERSONAL_ACCOUNTS = 50_000;

/**
 * Who belongs to which account with which role, and what each account is, remembered between requests so
 * that authorizing a request costs no call in the common case. A removal, a role change or an archived team
 * reaches every gateway as an event and is forgotten at once; refusals are never remembered, so a new member
 * is let in on their first request.
 */
@Injectable()
export class MembershipDirectory {
  /** By `userId/accountId`. */
  private readonly memberships: LRUCache<string, AccountView>;
  private readonly accounts: LRUCache<string, AccountInfo>;
  private readonly personal: LRUCache<string, AccountView>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    const ttlMs = config.credentialCacheSeconds * 1000;
    this.memberships = fetchingCache('memberships', MAX_MEMBERSHIPS, ttlMs, (key) => {
      const [userId, accountId] = key.split('/');
      return this.rpc.request('tessera.teams.membership.get', { userId, accountId });
    });
    this.accounts = fetchingCache('accounts', MAX_ACCOUNTS, ttlMs, async (accountId) => {
      try {
        return await this.rpc.request('tessera.teams.account.get', { accountId });
      } catch (error) {
        if (error instanceof TesseraError && error.code === 'not_found') return undefined;
        throw error;
      }
    });
    this.personal = fetchingCache('personal-accounts', MAX_PERSONAL_ACCOUNTS, ttlMs, async (userId) => {
      const [personal] = await this.list(userId);
      if (personal?.kind !== 'personal')
        throw new TesseraError('not_found', 'Your personal account was not found.');
      return personal;
    });
    // An Org Admin's role in every child team comes from the organization: forget all of the user's entries.
    feed.on('tessera.events.teams.member.removed', ({ data }) => this.forgetUser(data.userId));
    feed.on('tessera.events.teams.member.role_changed', ({ data }) => this.forgetUser(data.userId));
    feed.on('tessera.events.teams.team.archived', ({ data }) => this.forgetAccount(data.accountId));
    feed.on('tessera.events.teams.team.moved', ({ data }) => this.forgetAccount(data.accountId));
    feed.onResync(() => {
      this.memberships.clear();
      this.accounts.clear();
    });
  }

  /** The user's membership of the account, with their role; `not_a_member` if none or archived. */
  async membership(userId: string, accountId: string): Promise<AccountView> {
    if (!isUuid(accountId)) throw notAMember();
    return this.memberships.forceFetch(`${userId}/${accountId}`);
  }

  /**
   * The user's membership of an account of this kind; anything else — no such account, another kind, not a
   * member, archived — is `not_found` with `message`, exactly as for an account that does not exist, so ids leak
   * nothing. What the `/v1/teams/:id` and `/v1/orgs/:orgId` routes go by.
   */
  async memberOf(
    userId: string,
    accountId: string,
    kind: AccountKind,
    message: string,
  ): Promise<AccountView> {
    const notFound = new TesseraError('not_found', message);
    try {
      const account = await this.membership(userId, accountId);
      if (account.kind !== kind) throw notFound;
      return account;
    } catch (error) {
      if (error instanceof TesseraError && HIDDEN.has(error.code)) throw notFound;
      throw error;
    }
  }

  /** The user's personal account (it never changes owner, so it is kept even across a resync). */
  personalAccount(userId: string): Promise<AccountView> {
    return this.personal.forceFetch(userId);
  }

  /** Any account, archived or not; `undefined` when there is no such account (not kept). */
  account(accountId: string): Promise<AccountInfo | undefined> {
    return this.accounts.fetch(accountId);
  }

  /** Every account the user may act for, personal first (asked each time: it is not on a hot path). */
  list(userId: string): Promise<AccountView[]> {
    return this.rpc.request('tessera.teams.account.list-for-user', { userId });
  }

  /** After a change made through this gateway: the next request asks teams, without waiting for the event. */
  forgetMember(userId: string, accountId: string): void {
    this.memberships.delete(`${userId}/${accountId}`);
  }

  forgetUser(userId: string): void {
    forgetWhere(this.memberships, (_, key) => key.startsWith(`${userId}/`));
  }

  forgetAccount(accountId: string): void {
    this.accounts.delete(accountId);
    forgetWhere(this.memberships, (membership) => membership.id === accountId);
  }
}
