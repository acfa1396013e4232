import { ApiProperty } from '@nestjs/swagger';
import { Role } from '@tessera/contracts';

export class CreateTeamBody {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'Research' })
  name!: string;
}

export class SetRoleBody {
  @ApiProperty({ enum: ['admin', 'developer', 'billing'] })
  role!: Role;
}

export class InviteBody {
  @ApiProperty({ example: 'alice@company.com' })
  email!: string;
  @ApiProperty({ enum: ['admin', 'developer', 'billing'] })
  role!: Role;
}

export class AcceptInvitationBody {
  @ApiProperty({ description: 'The `token` of the link in the invitation e-mail.' })
  token!: string;
}
