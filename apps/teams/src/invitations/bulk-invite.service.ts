import { Injectable } from '@nestjs/common';
import {
  BulkInviteReply,
  BulkRowResult,
  InviteeEmailSchema,
  RoleSchema,
  RpcPayload,
} from '@tessera/contracts';
import { DataSource } from 'typeorm';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';
import { parseCsv } from './csv';
import { Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';

export const MAX_BATCH_ROWS = 50;

/**
 * Invites from a CSV of `email,role`. The whole file is checked before anything is written: a bad header or more
 * than 50 rows refuses the batch and sends nothing. Each row then gets a result with its line number; valid rows
 * are invited in one transaction (or only reported, in a dry run). Re-running a file invites nobody twice; a row
 * naming another role than the address's pending invitation replaces it with a fresh link (`role_updated`).
 */
@Injectable()
export class BulkInviteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamsService,
    private readonly invitations: InvitationsService,
  ) {}

  async invite({
    accountId,
    actorUserId,
    csv,
    dryRun,
  }: RpcPayload<'tessera.teams.invitation.bulk'>): Promise<BulkInviteReply> {
    const rows = this.rows(csv);
    const members = await this.invitations.memberEmails(accountId);
    const inviter = await this.invitations.inviter(actorUserId);
    const allowed = await this.invitations.allowedByPolicy(accountId);

    return this.dataSource.transaction(async (manager) => {
      const team = await this.teams.live(manager, accountId, true);
      const seen = new Set<string>();
      const results: BulkInviteReply['results'] = [];
      for (const { line, email, role } of rows) {
        const key = email.toLowerCase();
        const invitedRole = RoleSchema.safeParse(role);
        let result: BulkRowResult;
        let pending: Invitation | null = null;
        if (!InviteeEmailSchema.safeParse(email).success) result = 'invalid_email';
        else if (!invitedRole.success) result = 'invalid_role';
        else if (!allowed(email)) result = 'domain_not_allowed';
        else if (seen.has(key)) result = 'duplicate_in_batch';
        else if (members.has(key)) result = 'already_member';
        else {
          pending = await this.invitations.pending(manager, accountId, email);
          if (!pending) result = 'invited';
          else result = pending.role === invitedRole.data ? 'already_invited' : 'role_updated';
        }
        seen.add(key);
        let invitationId: string | undefined;
        if ((result === 'invited' || result === 'role_updated') && !dryRun && invitedRole.success) {
          const invitation = await this.invitations.invite(
            manager,
            team,
            inviter,
            email,
            invitedRole.data,
            pending,
          );
          invitationId = invitation.id;
        }
        results.push({ line, email, role, result, ...(invitationId ? { invitationId } : {}) });
      }
      return { dryRun, results, summary: summarize(results) };
    });
  }

  private rows(csv: string): { line: number; email: string; role: string }[] {
    let records;
    try {
      records = parseCsv(csv);
    } catch (error) {
      throw TeamsErrors.invalidCsv(error instanceof Error ? error.message : 'unreadable');
    }
    const [header, ...data] = records;
    const columns = header?.fields.map((field) => field.trim().toLowerCase());
    if (!columns || columns.length !== 2 || columns[0] !== 'email' || columns[1] !== 'role') {
      throw TeamsErrors.invalidCsv('the first line must be the header `email,role` (and nothing else).');
    }
    if (data.length > MAX_BATCH_ROWS) throw TeamsErrors.batchTooLarge(data.length);
    return data.map(({ line, fields }) => {
      if (fields.length !== 2)
        throw TeamsErrors.invalidCsv(`line ${line} has ${fields.length} fields; expected 2.`);
      return { line, email: fields[0].trim(), role: fields[1].trim().toLowerCase() };
    });
  }
}

function summarize(results: BulkInviteReply['results']): Record<BulkRowResult, number> {
  const summary: Record<BulkRowResult, number> = {
    invited: 0,
    already_member: 0,
    already_invited: 0,
    role_updated: 0,
    invalid_email: 0,
    invalid_role: 0,
    duplicate_in_batch: 0,
    domain_not_allowed: 0,
  };
  for (const { result } of results) summary[result] += 1;
  return summary;
}
