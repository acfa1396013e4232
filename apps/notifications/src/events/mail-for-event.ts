import { EventEnvelope, TEAMS_EVENTS } from '@tessera/contracts';
import { MailJobData } from '../mail/mail-job';
import { invitationAcceptedSubject } from '../mail/templates/invitation-accepted.template';
import { invitationSubject } from '../mail/templates/invitation.template';
import { memberRemovedSubject } from '../mail/templates/member-removed.template';
import { roleChangedSubject } from '../mail/templates/role-changed.template';

export type TeamsEventType = keyof typeof TEAMS_EVENTS;

/** The events notifications reads: every teams event (one filter subject, which nats-server 2.9 can do). */
export const TEAMS_EVENTS_FILTER = 'tessera.events.teams.>';

/** One of the teams events, its payload typed by its `type`. */
type TeamsEnvelope = { [E in TeamsEventType]: EventEnvelope<E> }[TeamsEventType];

function isTeamsEvent(envelope: EventEnvelope): envelope is TeamsEnvelope {
  return Object.hasOwn(TEAMS_EVENTS, envelope.type);
}

/**
 * The e-mail a teams event means, or null when it means none (team created, member added, invitation cancelled,
 * events of later versions). Pure: no lookups here — recipients given by user id are resolved when it is sent.
 * The payload has already been checked against its event's schema by the consumer.
 */
export function mailForEvent(envelope: EventEnvelope): MailJobData | null {
  if (!isTeamsEvent(envelope)) return null;
  const base = {
    eventId: envelope.id,
    eventType: envelope.type,
    requestId: envelope.requestId,
    traceparent: envelope.traceparent,
  };
  switch (envelope.type) {
    case 'tessera.events.teams.invitation.created':
    case 'tessera.events.teams.invitation.resent':
    case 'tessera.events.teams.invitation.role_updated': {
      const { data } = envelope;
      return {
        ...base,
        kind: 'invitation',
        to: { email: data.email },
        subject: invitationSubject(data),
        teamName: data.teamName,
        role: data.role,
        invitedByName: data.invitedByName,
        sealedToken: data.sealedToken,
        expiresAt: data.expiresAt,
        ...('previousRole' in data ? { previousRole: data.previousRole } : {}),
      };
    }
    case 'tessera.events.teams.invitation.accepted': {
      const { data } = envelope;
      const content = { teamName: data.teamName, acceptedEmail: data.email };
      return {
        ...base,
        kind: 'invitation-accepted',
        to: { userId: data.invitedByUserId },
        subject: invitationAcceptedSubject(content),
        ...content,
      };
    }
    case 'tessera.events.teams.member.role_changed': {
      const { data } = envelope;
      const content = { teamName: data.teamName, from: data.from, role: data.to };
      return {
        ...base,
        kind: 'role-changed',
        to: { userId: data.userId },
        subject: roleChangedSubject(content),
        ...content,
      };
    }
    case 'tessera.events.teams.member.removed': {
      const { data } = envelope;
      return {
        ...base,
        kind: 'member-removed',
        to: { userId: data.userId },
        subject: memberRemovedSubject(data),
        teamName: data.teamName,
      };
    }
    default:
      return null;
  }
}
