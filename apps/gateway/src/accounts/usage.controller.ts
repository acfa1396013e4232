import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  RpcClient,
  UsageActorType,
  UsageActorView,
  UsageGroupingSchema,
  UsageReport,
  UsageReportSchema,
} from '@tessera/contracts';
import { z } from 'zod';
import { CallerRequest, CredentialGuard, Permission } from '../authz/credential.guard';
import { Endpoint, Errors } from '../http/endpoint';
import { AccountPath } from './account-path';
import { UsageRangeQuery, usageRange } from './usage-range';

const UsageReportQuery = UsageRangeQuery.extend({ groupBy: UsageGroupingSchema.default('actor') });

@ApiTags('usage')
@ApiBearerAuth()
@ApiSecurity('key')
@Errors({
  unauthenticated: 'No credential.',
  invalid_credentials: 'The key is unknown, revoked or expired.',
  invalid_token: 'The token is invalid or expired.',
  forbidden: 'Your role does not allow it (Developers).',
  scope_insufficient: 'An API key that is not an ADMIN key.',
  not_found: 'No such account, or not yours.',
  rate_limited: 'Too many failed credentials from this address.',
})
@UseGuards(CredentialGuard)
@Controller('v1/accounts/:accountId/usage')
export class UsageController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Permission({ member: 'billing.manage', key: 'platform.admin' })
  @Endpoint({
    summary:
      "The account's requests in a range, by actor (members and keys) or by action, optionally per hour or day (Admin, Billing, ADMIN keys).",
    params: AccountPath,
    query: UsageReportQuery,
    response: UsageReportSchema,
    status: 200,
    renamed: { group_by: 'groupBy' },
  })
  async usage(
    @Req() request: CallerRequest,
    @Query() query: z.output<typeof UsageReportQuery>,
  ): Promise<UsageReport> {
    const range = usageRange(query);
    const grouping = query.groupBy;
    const account = request.caller.account;
    const rows = await this.rpc.request('tessera.keys.usage.query', {
      accountId: account.id,
      ...range,
      groupBy: grouping,
    });
    const report = {
      accountId: account.id,
      from: range.from,
      to: range.to,
      groupBy: grouping,
      interval: range.interval ?? null,
    };
    if (grouping === 'action') return { ...report, rows: rows.map(({ actor: _, ...row }) => row) };
    const label = await this.actorLabels(
      account.id,
      account.kind === 'team' ? 'Team key' : 'Personal key',
      rows.flatMap(({ actor }) => (actor?.type === 'member' ? [actor.id] : [])),
    );
    return { ...report, rows: rows.map(({ actor, ...row }) => ({ ...row, actor: label(actor!) })) };
  }

  /** Names for the report: people by name or e-mail (former members too); a key is the account's ("Team key"). */
  private async actorLabels(accountId: string, keyLabel: string, userIds: string[]) {
    const [keys, users] = await Promise.all([
      this.rpc.request('tessera.keys.key.list', { accountId }),
      this.rpc.request('tessera.identity.user.get-many', { userIds }),
    ]);
    const keyNames = new Map(keys.map((key) => [key.id, key.name]));
    const people = new Map(users.map((user) => [user.id, user]));
    return (actor: { type: UsageActorType; id: string }): UsageActorView => {
      if (actor.type === 'key')
        return { ...actor, label: keyLabel, keyName: keyNames.get(actor.id) ?? '(revoked key)' };
      const user = people.get(actor.id);
      return { ...actor, label: user?.name ?? user?.email ?? 'Unknown user', email: user?.email ?? null };
    };
  }
}
