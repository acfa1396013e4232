import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';

/** API keys: issue, verify, revoke, rotate; request attribution and usage. */
@Module({})
export class KeysModule {}

export const keysService = defineService('keys', { module: KeysModule });
