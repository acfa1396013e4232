import { ApiProperty } from '@nestjs/swagger';

export class CreateOrganizationBody {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'Acme Corp' })
  name!: string;
}

export class RequestTransferBody {
  @ApiProperty({ format: 'uuid', description: 'The standalone team to move into the organization.' })
  teamId!: string;
}
