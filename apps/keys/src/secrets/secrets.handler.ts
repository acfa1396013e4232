import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ResolvedSecrets, RpcPayload, SecretView } from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { SecretsService } from './secrets.service';

/** Secret subjects. The gateway has authorized each: an Admin for changes, `secrets.read` for a resolve. */
@Controller()
export class SecretsHandler {
  constructor(private readonly secrets: SecretsService) {}

  @Rpc('tessera.keys.secret.set')
  set(@Payload() command: RpcPayload<'tessera.keys.secret.set'>): Promise<SecretView> {
    return this.secrets.set(command);
  }

  @Rpc('tessera.keys.secret.list')
  list(@Payload() { accountId }: RpcPayload<'tessera.keys.secret.list'>): Promise<SecretView[]> {
    return this.secrets.list(accountId);
  }

  @Rpc('tessera.keys.secret.delete')
  delete(@Payload() command: RpcPayload<'tessera.keys.secret.delete'>): Promise<{ deleted: true }> {
    return this.secrets.delete(command);
  }

  @Rpc('tessera.keys.secret.resolve')
  resolve(@Payload() request: RpcPayload<'tessera.keys.secret.resolve'>): Promise<ResolvedSecrets> {
    return this.secrets.resolve(request);
  }
}
