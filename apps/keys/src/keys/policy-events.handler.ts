import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@tessera/contracts';
import { DurableEventConsumer, LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { KeyPolicyService } from './key-policy.service';

const POLICY_CHANGED = 'tessera.events.teams.policy.changed' as const;

/** Applies every policy change to the keys of the accounts it touches (durable: none is missed while down). */
@Injectable()
export class PolicyEventsHandler extends DurableEventConsumer<typeof POLICY_CHANGED> {
  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(LOGGER) logger: Logger,
    private readonly keyPolicy: KeyPolicyService,
  ) {
    super(nc, logger, { name: 'keys-policies', filterSubject: POLICY_CHANGED });
  }

  protected async handle(envelope: EventEnvelope<typeof POLICY_CHANGED>): Promise<void> {
    const { data } = envelope;
    for (const { accountId, effective } of data.affected)
      await this.keyPolicy.apply(accountId, effective, data.actorUserId, new Date(envelope.occurredAt));
  }
}
