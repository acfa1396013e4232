import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RpcClient, TesseraError, UsageGrouping } from '@tessera/contracts';
import { CallerRequest, CredentialGuard, Permission } from '../authz/credential.guard';
import { ErrorEnvelope } from '../http/error-envelope';
import { usageRange } from './usage-range';

interface UsageActorView {
  type: 'member' | 'key';
  id: string;
  /** How a report names the actor: the member's name or e-mail, or "Team key" / "Personal key". */
  label: string;
  email?: string | null;
  keyName?: string;
}

export interface UsageReport {
  accountId: string;
  from: string;
  to: string;
  groupBy: UsageGrouping;
  rows: { actor?: UsageActorView; action?: string; requests: number }[];
}

@ApiTags('usage')
@ApiBearerAuth()
@ApiSecurity('key')
@ApiResponse({ status: 400, type: ErrorEnvelope, description: '`validation_failed`: range or grouping.' })
@ApiResponse({
  status: 401,
  type: ErrorEnvelope,
  description: '`unauthenticated`, `invalid_credentials`, `invalid_token`.',
})
@ApiResponse({
  status: 403,
  type: ErrorEnvelope,
  description: '`forbidden` (Developers) or `scope_insufficient` (API keys).',
})
@ApiResponse({ status: 404, type: ErrorEnvelope, description: '`not_found`: no such account, or not yours.' })
@UseGuards(CredentialGuard)
@Controller('v1/accounts/:accountId/usage')
export class UsageController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Permission({ member: 'billing.manage', key: 'platform.admin' })
  @ApiOperation({
    summary:
      "The account's requests in a range, by actor (members and keys) or by action (Admin, Billing, ADMIN keys).",
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; default 30 days before `to`.' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive; default now.' })
  @ApiQuery({ name: 'group_by', required: false, enum: ['actor', 'action'] })
  async usage(
    @Req() request: CallerRequest,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('group_by') groupBy: unknown,
  ): Promise<UsageReport> {
    const grouping = groupBy ?? 'actor';
    if (grouping !== 'actor' && grouping !== 'action')
      throw new TesseraError('validation_failed', '`group_by` must be actor or action.');
    const { from: start, to: end } = usageRange(from, to);
    const account = request.caller.account;
    const rows = await this.rpc.request('tessera.keys.usage.query', {
      accountId: account.id,
      from: start,
      to: end,
      groupBy: grouping,
    });
    if (grouping === 'action') {
      const byAction = rows.map(({ action, requests }) => ({ action, requests }));
      return { accountId: account.id, from: start, to: end, groupBy: grouping, rows: byAction };
    }
    const label = await this.actorLabels(
      account.id,
      account.kind === 'team' ? 'Team key' : 'Personal key',
      rows.flatMap(({ actor }) => (actor?.type === 'member' ? [actor.id] : [])),
    );
    return {
      accountId: account.id,
      from: start,
      to: end,
      groupBy: grouping,
      rows: rows.map(({ actor, requests }) => ({ actor: label(actor!), requests })),
    };
  }

  /** Names for the report: people by name or e-mail (former members too); a key is the account's ("Team key"). */
  private async actorLabels(accountId: string, keyLabel: string, userIds: string[]) {
    const [keys, users] = await Promise.all([
      this.rpc.request('tessera.keys.key.list', { accountId }),
      this.rpc.request('tessera.identity.user.get-many', { userIds }),
    ]);
    const keyNames = new Map(keys.map((key) => [key.id, key.name]));
    const people = new Map(users.map((user) => [user.id, user]));
    return (actor: { type: 'member' | 'key'; id: string }): UsageActorView => {
      if (actor.type === 'key')
        return { ...actor, label: keyLabel, keyName: keyNames.get(actor.id) ?? '(revoked key)' };
      const user = people.get(actor.id);
      return { ...actor, label: user?.name ?? user?.email ?? 'Unknown user', email: user?.email ?? null };
    };
  }
}
