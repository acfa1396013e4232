import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountInfo, AccountView, RpcPayload } from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsHandler {
  constructor(private readonly accounts: AccountsService) {}

  @Rpc('tessera.teams.account.ensure-personal')
  ensurePersonal(
    @Payload() { userId, name }: RpcPayload<'tessera.teams.account.ensure-personal'>,
  ): Promise<AccountView> {
    return this.accounts.ensurePersonal(userId, name);
  }

  @Rpc('tessera.teams.account.list-for-user')
  listForUser(
    @Payload() { userId }: RpcPayload<'tessera.teams.account.list-for-user'>,
  ): Promise<AccountView[]> {
    return this.accounts.listForUser(userId);
  }

  @Rpc('tessera.teams.membership.get')
  membership(
    @Payload() { userId, accountId }: RpcPayload<'tessera.teams.membership.get'>,
  ): Promise<AccountView> {
    return this.accounts.membership(userId, accountId);
  }

  @Rpc('tessera.teams.account.get')
  get(@Payload() { accountId }: RpcPayload<'tessera.teams.account.get'>): Promise<AccountInfo> {
    return this.accounts.info(accountId);
  }
}
