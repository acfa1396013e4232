import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AUTHZ_CHECK_SUBJECT,
  NatsNamespace,
  ServiceUnavailableError,
  TesseraError,
} from '@tessera/contracts';
import { LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { startRpcHandling } from '@tessera/telemetry';
import { JSONCodec, Msg, NatsConnection } from 'nats';
import { DecisionPoint } from './decision-point';

const codec = JSONCodec();

/**
 * `tessera.authz.check` (`<prefix>.authz.check`) on NATS, in the `gateway` queue group: plain JSON in, plain JSON out, so any service
 * with any NATS client can ask (see `examples/`). It is the hot path of the whole platform, so it is a bare
 * subscription rather than a Nest message handler: no envelope, no interceptors, one decode and one encode.
 *
 * A request that cannot be decided (a service it needs is down) gets `{ error: { code, message } }` instead
 * of a decision: the caller must not mistake an outage for a refusal, nor for a permission.
 */
@Injectable()
export class AuthzResponder implements OnApplicationBootstrap {
  constructor(
    private readonly decisions: DecisionPoint,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly namespace: NatsNamespace,
  ) {}

  onApplicationBootstrap(): void {
    this.nc.subscribe(this.namespace.subject(AUTHZ_CHECK_SUBJECT), {
      queue: 'gateway',
      callback: (error, message) => {
        if (!error) void this.answer(message);
      },
    });
  }

  private answer(message: Msg): Promise<void> {
    // Timed by the decision point itself (`tessera_authz_decision_duration_seconds`): one histogram per check.
    const handling = startRpcHandling(AUTHZ_CHECK_SUBJECT, message.headers, { timed: false });
    return handling.run(async () => handling.end(await this.decide(message)));
  }

  /** Answers the message; resolves with the outcome for the metrics (`ok`, or the code of the error answered). */
  private async decide(message: Msg): Promise<string> {
    let request: unknown;
    try {
      request = codec.decode(message.data);
    } catch {
      request = undefined;
    }
    try {
      message.respond(codec.encode(await this.decisions.check(request, { via: 'bus' })));
      return 'ok';
    } catch (error) {
      const known = error instanceof TesseraError;
      if (!known || !(error instanceof ServiceUnavailableError))
        this.logger.error({ err: error }, 'authz check failed');
      const code = known ? error.code : 'internal';
      const text = known ? error.message : 'The check could not be made.';
      message.respond(codec.encode({ error: { code, message: text } }));
      return code;
    }
  }
}
