import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, RpcClient } from '@tessera/contracts';
import { DurableEventConsumer, LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { SessionsService } from './sessions.service';

const POLICY_CHANGED = 'tessera.events.teams.policy.changed' as const;

/**
 * Applies `sessions.maxAgeHours` of every policy change to existing sessions: the members of the accounts it
 * touches lose the sessions that are now too old (durable: none is missed while identity is down).
 */
@Injectable()
export class PolicyEventsHandler extends DurableEventConsumer<typeof POLICY_CHANGED> {
  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(LOGGER) logger: Logger,
    private readonly sessions: SessionsService,
    private readonly rpc: RpcClient,
  ) {
    super(nc, logger, { name: 'identity-policies', filterSubject: POLICY_CHANGED });
  }

  protected async handle(envelope: EventEnvelope<typeof POLICY_CHANGED>): Promise<void> {
    const { data } = envelope;
    const byHours = new Map<number, string[]>();
    for (const { accountId, effective } of data.affected) {
      const hours = effective['sessions.maxAgeHours'];
      if (hours) byHours.set(hours, [...(byHours.get(hours) ?? []), accountId]);
    }
    for (const [hours, accountIds] of byHours) {
      const userIds = await this.rpc.request('tessera.teams.member.user-ids', { accountIds });
      await this.sessions.endOlderThan(userIds, hours);
    }
  }
}
