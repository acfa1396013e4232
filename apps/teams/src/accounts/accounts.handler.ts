import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountInfo,
  AccountView,
  EnsurePersonalAccountRequest,
  MembershipRequest,
} from '@tessera/contracts';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  @MessagePattern('tessera.teams.account.ensure-personal')
  ensurePersonal(@Payload() { userId, name }: EnsurePersonalAccountRequest): Promise<AccountView> {
    return this.accounts.ensurePersonal(userId, name);
  }

  @MessagePattern('tessera.teams.account.list-for-user')
  listForUser(@Payload() { userId }: { userId: string }): Promise<AccountView[]> {
    return this.accounts.listForUser(userId);
  }

  @MessagePattern('tessera.teams.membership.get')
  membership(@Payload() { userId, accountId }: MembershipRequest): Promise<AccountView> {
    return this.accounts.membership(userId, accountId);
  }

  @MessagePattern('tessera.teams.account.get')
  get(@Payload() { accountId }: { accountId: string }): Promise<AccountInfo> {
    return this.accounts.info(accountId);
  }
}
