import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateKeyRequest,
  IssuedKey,
  KeyCommand,
  KeyView,
  UsageBatch,
  UsageQuery,
  UsageRow,
  VerifiedKey,
  VerifyKeyRequest,
} from '@tessera/contracts';
import { KeysService } from './keys/keys.service';
import { UsageService } from './usage/usage.service';

/** Key and usage subjects. The gateway has already authorized the actor for each command. */
@Controller()
export class KeysHandler {
  constructor(
    private readonly keys: KeysService,
    private readonly usage: UsageService,
  ) {}

  @MessagePattern('tessera.keys.key.create')
  create(@Payload() request: CreateKeyRequest): Promise<IssuedKey> {
    return this.keys.create(request);
  }

  @MessagePattern('tessera.keys.key.list')
  list(@Payload() { accountId }: { accountId: string }): Promise<KeyView[]> {
    return this.keys.list(accountId);
  }

  @MessagePattern('tessera.keys.key.revoke')
  revoke(@Payload() command: KeyCommand & { keyId: string }): Promise<KeyView> {
    return this.keys.revoke(command);
  }

  @MessagePattern('tessera.keys.key.rotate')
  rotate(@Payload() command: KeyCommand & { keyId: string; graceSeconds: number }): Promise<IssuedKey> {
    return this.keys.rotate(command);
  }

  @MessagePattern('tessera.keys.key.verify')
  verify(@Payload() request: VerifyKeyRequest): Promise<VerifiedKey> {
    return this.keys.verify(request);
  }

  @MessagePattern('tessera.keys.usage.record')
  record(@Payload() batch: UsageBatch): Promise<{ counted: boolean }> {
    return this.usage.record(batch);
  }

  @MessagePattern('tessera.keys.usage.query')
  query(@Payload() query: UsageQuery): Promise<UsageRow[]> {
    return this.usage.query(query);
  }
}
