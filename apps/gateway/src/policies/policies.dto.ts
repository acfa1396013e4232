import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PolicyCommand, PolicySettings, TesseraError } from '@tessera/contracts';

export class PutPolicyBody {
  @ApiProperty({
    description:
      'The whole policy (settings left out are removed): `sso.enforced`, `signin.allowedMethods`, ' +
      '`invitations.allowedDomains`, `keys.allowedScopes`, `keys.maxLifetimeDays`, `sessions.maxAgeHours`, ' +
      '`data.retentionDays`.',
    example: { 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 90, 'sessions.maxAgeHours': 12 },
  })
  settings!: PolicySettings;

  @ApiPropertyOptional({
    description: 'The version you read; refused with `version_conflict` if it moved on.',
  })
  version?: number;
}

/** The command for a policy write, with the optimistic-concurrency version checked for shape. */
export function policyCommand(accountId: string, actorUserId: string, body: PutPolicyBody): PolicyCommand {
  const version = body?.version;
  if (version !== undefined && !(Number.isInteger(version) && version >= 0))
    throw new TesseraError('validation_failed', '`version` must be the whole number you read.');
  return {
    accountId,
    actorUserId,
    settings: body?.settings,
    ...(version !== undefined ? { expectedVersion: version } : {}),
  };
}
