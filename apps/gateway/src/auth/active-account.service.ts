import { Injectable } from '@nestjs/common';
import { AccountView, RpcClient, TesseraError, isUuid } from '@tessera/contracts';
import { Principal } from './principal';

export const ACCOUNT_HEADER = 'x-tessera-account';

/**
 * The account a request acts for: the one named by `X-Tessera-Account`, else the one chosen at device login,
 * else the caller's personal account. Naming an account the caller does not belong to is `not_a_member`.
 */
@Injectable()
export class ActiveAccountService {
  constructor(private readonly rpc: RpcClient) {}

  async named(userId: string, accountId: string): Promise<AccountView> {
    if (!isUuid(accountId)) throw new TesseraError('not_a_member', 'You are not a member of that account.');
    return this.rpc.request('tessera.teams.membership.get', { userId, accountId });
  }

  async of(principal: Principal): Promise<AccountView> {
    if (principal.account) return principal.account;
    if (principal.tokenAccountId) return this.named(principal.userId, principal.tokenAccountId);
    const [personal] = await this.list(principal.userId);
    if (personal?.kind !== 'personal')
      throw new TesseraError('not_found', 'Your personal account was not found.');
    return personal;
  }

  list(userId: string): Promise<AccountView[]> {
    return this.rpc.request('tessera.teams.account.list-for-user', { userId });
  }
}
