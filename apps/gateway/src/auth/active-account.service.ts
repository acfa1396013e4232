import { Injectable } from '@nestjs/common';
import { AccountView } from '@tessera/contracts';
import { MembershipDirectory } from '../directory/membership-directory';
import { Principal } from './principal';

export const ACCOUNT_HEADER = 'x-tessera-account';

/**
 * The account a request acts for: the one named by `X-Tessera-Account`, else the one chosen at device login,
 * else the caller's personal account. Naming an account the caller does not belong to is `not_a_member`.
 */
@Injectable()
export class ActiveAccountService {
  constructor(private readonly directory: MembershipDirectory) {}

  named(userId: string, accountId: string): Promise<AccountView> {
    return this.directory.membership(userId, accountId);
  }

  async of(principal: Principal): Promise<AccountView> {
    if (principal.account) return principal.account;
    if (principal.tokenAccountId) return this.named(principal.userId, principal.tokenAccountId);
    return this.directory.personalAccount(principal.userId);
  }

  list(userId: string): Promise<AccountView[]> {
    return this.directory.list(userId);
  }
}
