import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  NatsNamespace,
  ResolvedSecrets,
  RpcClient,
  SECRETS_RESOLVE_SUBJECT,
  SecretsResolveRequestSchema,
  TesseraError,
  parseOrThrow,
} from '@tessera/contracts';
import { LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { DecisionPoint } from './decision-point';
import { answerPlainJson } from './plain-json-subject';

/**
 * `tessera.secrets.resolve` on NATS: a deployed app passes on the credential it runs with and gets its
 * account's secrets. The decision point decides `secrets.read` (role or scope, the account's policy, usage
 * recorded) for the credential's own account: a key's, or a member's active (or named) account, never another.
 * Every refusal is `{ error: { code, message } }`, with the decision point's reason as the code.
 */
@Injectable()
export class SecretsResponder implements OnApplicationBootstrap {
  constructor(
    private readonly decisions: DecisionPoint,
    private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly namespace: NatsNamespace,
  ) {}

  onApplicationBootstrap(): void {
    answerPlainJson(this.nc, this.namespace, this.logger, SECRETS_RESOLVE_SUBJECT, (request) =>
      this.resolve(request),
    );
  }

  private async resolve(input: unknown): Promise<ResolvedSecrets> {
    const { names, ...credential } = parseOrThrow(SecretsResolveRequestSchema, input);
    const decision = await this.decisions.check(
      { ...credential, action: 'secrets.read', record: true },
      { via: 'bus' },
    );
    if (!decision.allow || !decision.principal) {
      // The decision point's reasons are error codes too, but for `unknown_action`, which `secrets.read` is not.
      const code = decision.reason === 'unknown_action' ? 'internal' : (decision.reason ?? 'forbidden');
      throw new TesseraError(code, decision.message ?? 'Reading secrets is not allowed.', decision.details);
    }
    return this.rpc.request('tessera.keys.secret.resolve', {
      accountId: decision.principal.account.id,
      names,
    });
  }
}
