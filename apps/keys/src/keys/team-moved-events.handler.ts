import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@tessera/contracts';
import { DurableEventConsumer, LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { KeyPolicyService } from './key-policy.service';

const TEAM_MOVED = 'tessera.events.teams.team.moved' as const;

/**
 * A team that moves into an organization comes under its policy: its keys are brought in line with the team's new
 * effective policy exactly as after a policy change (durable: none is missed while down).
 */
@Injectable()
export class TeamMovedEventsHandler extends DurableEventConsumer<typeof TEAM_MOVED> {
  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(LOGGER) logger: Logger,
    private readonly keyPolicy: KeyPolicyService,
  ) {
    super(nc, logger, { name: 'keys-team-moves', filterSubject: TEAM_MOVED });
  }

  protected async handle(envelope: EventEnvelope<typeof TEAM_MOVED>): Promise<void> {
    const { data } = envelope;
    // A move recorded before moves carried the policy: the team's effective policy now is the one to apply.
    const effective = data.effective ?? (await this.keyPolicy.effectiveNow(data.accountId));
    await this.keyPolicy.apply(data.accountId, effective, data.actorUserId, new Date(envelope.occurredAt));
  }
}
