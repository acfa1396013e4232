import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { Account, Membership } from './accounts/account.entity';
import { AccountsHandler } from './accounts/accounts.handler';
import { AccountsService } from './accounts/accounts.service';
import { Accounts1764600000000 } from './migrations/1764600000000-accounts';

/** Accounts (personal, team, organization), memberships and roles (later: invitations, policies, audit). */
@Module({})
export class TeamsModule {}

export const teamsService = defineService('teams', {
  module: TeamsModule,
  entities: [Account, Membership],
  migrations: [Accounts1764600000000],
  controllers: [AccountsHandler],
  providers: [AccountsService],
});
