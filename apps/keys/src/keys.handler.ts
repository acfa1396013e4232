import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IssuedKey, KeyView, RpcPayload, UsageRow, VerifiedKey } from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { KeysService } from './keys/keys.service';
import { UsageService } from './usage/usage.service';

/** Key and usage subjects. The gateway has already authorized the actor for each command. */
@Controller()
export class KeysHandler {
  constructor(
    private readonly keys: KeysService,
    private readonly usage: UsageService,
  ) {}

  @Rpc('tessera.keys.key.create')
  create(@Payload() request: RpcPayload<'tessera.keys.key.create'>): Promise<IssuedKey> {
    return this.keys.create(request);
  }

  @Rpc('tessera.keys.key.list')
  list(@Payload() { accountId }: RpcPayload<'tessera.keys.key.list'>): Promise<KeyView[]> {
    return this.keys.list(accountId);
  }

  @Rpc('tessera.keys.key.revoke')
  revoke(@Payload() command: RpcPayload<'tessera.keys.key.revoke'>): Promise<KeyView> {
    return this.keys.revoke(command);
  }

  @Rpc('tessera.keys.key.rotate')
  rotate(@Payload() command: RpcPayload<'tessera.keys.key.rotate'>): Promise<IssuedKey> {
    return this.keys.rotate(command);
  }

  @Rpc('tessera.keys.key.verify')
  verify(@Payload() request: RpcPayload<'tessera.keys.key.verify'>): Promise<VerifiedKey> {
    return this.keys.verify(request);
  }

  @Rpc('tessera.keys.usage.record')
  record(@Payload() batch: RpcPayload<'tessera.keys.usage.record'>): Promise<{ counted: boolean }> {
    return this.usage.record(batch);
  }

  @Rpc('tessera.keys.usage.query')
  query(@Payload() query: RpcPayload<'tessera.keys.usage.query'>): Promise<UsageRow[]> {
    return this.usage.query(query);
  }
}
