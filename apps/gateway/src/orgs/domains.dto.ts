import { ApiProperty } from '@nestjs/swagger';

export class ClaimDomainBody {
  @ApiProperty({
    example: 'acme.com',
    maxLength: 253,
    description: 'A domain your organization controls; internationalized names are stored in punycode.',
  })
  domain!: string;
}
