import { EventEnvelope, EventPayload, TeamsEvents } from '@tessera/contracts';
import { MalformedEventError } from '@tessera/runtime';
import { MailJobData } from '../mail/mail-job';
import { invitationAcceptedSubject } from '../mail/templates/invitation-accepted.template';
import { invitationSubject } from '../mail/templates/invitation.template';
import { memberRemovedSubject } from '../mail/templates/member-removed.template';
import { roleChangedSubject } from '../mail/templates/role-changed.template';

export type TeamsEventType = keyof TeamsEvents & string;

/** The events notifications reads: every teams event (one filter subject, which nats-server 2.9 can do). */
export const TEAMS_EVENTS_FILTER = 'tessera.events.teams.>';

function required(data: object, ...fields: string[]): void {
  for (const field of fields) {
    const value = (data as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value === '') throw new MalformedEventError(`no ${field}`);
  }
}

/**
 * The e-mail a teams event means, or null when it means none (team created, member added, invitation cancelled,
 * events of later versions). Pure: no lookups here — recipients given by user id are resolved when it is sent.
 */
export function mailForEvent(envelope: EventEnvelope): MailJobData | null {
  const base = { eventId: envelope.id, eventType: envelope.type, requestId: envelope.requestId };
  switch (envelope.type) {
    case 'tessera.events.teams.invitation.created':
    case 'tessera.events.teams.invitation.resent': {
      const data = envelope.data as EventPayload<'tessera.events.teams.invitation.created'>;
      required(data, 'email', 'teamName', 'role', 'sealedToken', 'expiresAt');
      return {
        ...base,
        kind: 'invitation',
        to: { email: data.email },
        subject: invitationSubject(data),
        teamName: data.teamName,
        role: data.role,
        invitedByName: data.invitedByName ?? null,
        sealedToken: data.sealedToken,
        expiresAt: data.expiresAt,
      };
    }
    case 'tessera.events.teams.invitation.accepted': {
      const data = envelope.data as EventPayload<'tessera.events.teams.invitation.accepted'>;
      required(data, 'invitedByUserId', 'email', 'teamName');
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
      const data = envelope.data as EventPayload<'tessera.events.teams.member.role_changed'>;
      required(data, 'userId', 'teamName', 'from', 'to');
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
      const data = envelope.data as EventPayload<'tessera.events.teams.member.removed'>;
      required(data, 'userId', 'teamName');
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
