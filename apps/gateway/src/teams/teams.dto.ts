import { ApiProperty } from '@nestjs/swagger';

/** Still read by the organizations' team creation until that route declares its `@Endpoint`. */
export class CreateTeamBody {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'Research' })
  name!: string;
}
