import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { KeyScope } from '@tessera/contracts';

export class CreateKeyBody {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'production' })
  name!: string;
  @ApiProperty({
    enum: ['API', 'ADMIN'],
    description: 'API: call models and endpoints. ADMIN: also deploy, run, manage apps, platform admin.',
  })
  scope!: KeyScope;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working; never if absent.' })
  expires_at?: string;
}

export class RotateKeyBody {
  @ApiProperty({
    minimum: 0,
    maximum: 604800,
    example: 3600,
    description: 'How long the previous secret keeps working (0: it stops at once).',
  })
  grace_seconds!: number;
}

export class KeyViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['API', 'ADMIN'] }) scope!: KeyScope;
  @ApiProperty({ example: 'tsk_4KcV' }) prefix!: string;
  @ApiProperty({ example: 'a3Zt' }) last4!: string;
  @ApiProperty() createdByUserId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) previousSecretValidUntil!:
    string | null;
}

export class IssuedKeyDto {
  @ApiProperty({ type: KeyViewDto }) key!: KeyViewDto;
  @ApiProperty({ description: 'The key itself. Shown once: store it now.', example: 'tsk_…' })
  secret!: string;
}
