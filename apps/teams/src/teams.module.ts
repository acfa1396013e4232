import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';

/** Accounts (personal, team, organization), memberships and roles, invitations, policies, audit. */
@Module({})
export class TeamsModule {}

export const teamsService = defineService('teams', { module: TeamsModule });
