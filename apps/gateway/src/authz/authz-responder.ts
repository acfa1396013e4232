import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AUTHZ_CHECK_SUBJECT, NatsNamespace } from '@tessera/contracts';
import { LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { DecisionPoint } from './decision-point';
import { answerPlainJson } from './plain-json-subject';

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
    // Timed by the decision point itself (`tessera_authz_decision_duration_seconds`): one histogram per check.
    answerPlainJson(
      this.nc,
      this.namespace,
      this.logger,
      AUTHZ_CHECK_SUBJECT,
      (request) => this.decisions.check(request, { via: 'bus' }),
      { timed: false },
    );
  }
}
