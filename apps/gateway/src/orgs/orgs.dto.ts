import { ApiProperty } from '@nestjs/swagger';

export class CreateOrganizationBody {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'Acme Corp' })
  name!: string;
}

export class RequestTransferBody {
  @ApiProperty({ format: 'uuid', description: 'The standalone team to move into the organization.' })
  teamId!: string;
}

export class AddOrgAdminBody {
  @ApiProperty({ format: 'uuid', description: 'A member of one of the organization’s teams.' })
  userId!: string;
}
