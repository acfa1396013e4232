import { EventEnvelope, eventSchema } from '@tessera/contracts';
import { mailForEvent } from './mail-for-event';

function envelope(type: string, data: object): EventEnvelope {
  return { id: 'evt-1', type, occurredAt: new Date().toISOString(), data } as EventEnvelope;
}
const base = { accountId: 'acc', actorUserId: 'u-actor' };

describe('mailForEvent', () => {
  it('maps an invitation to an e-mail to the invited address, keeping the token sealed', () => {
    const mail = mailForEvent(
      envelope('tessera.events.teams.invitation.resent', {
        ...base,
        invitationId: 'inv',
        email: 'new@example.com',
        role: 'admin',
        teamName: 'Engines',
        invitedByName: null,
        sealedToken: 'v1.sealed',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    );
    expect(mail).toMatchObject({
      eventId: 'evt-1',
      kind: 'invitation',
      to: { email: 'new@example.com' },
      subject: 'You are invited to join Engines as Admin',
      sealedToken: 'v1.sealed',
    });
  });

  it('e-mails the fresh link of an invitation whose role changed, naming the role it replaced', () => {
    const mail = mailForEvent(
      envelope('tessera.events.teams.invitation.role_updated', {
        ...base,
        invitationId: 'inv-2',
        email: 'new@example.com',
        role: 'billing',
        previousRole: 'admin',
        replacedInvitationId: 'inv-1',
        teamName: 'Engines',
        invitedByName: 'Ada',
        sealedToken: 'v1.sealed',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    );
    expect(mail).toMatchObject({
      kind: 'invitation',
      to: { email: 'new@example.com' },
      subject: 'Ada invited you to join Engines as Billing',
      role: 'billing',
      previousRole: 'admin',
      sealedToken: 'v1.sealed',
    });
  });

  it('addresses the other e-mails to a user id, looked up when sent', () => {
    const accepted = mailForEvent(
      envelope('tessera.events.teams.invitation.accepted', {
        ...base,
        invitationId: 'inv',
        email: 'new@example.com',
        userId: 'u-new',
        invitedByUserId: 'u-inviter',
        teamName: 'Engines',
      }),
    );
    expect(accepted).toMatchObject({
      to: { userId: 'u-inviter' },
      subject: 'new@example.com joined Engines',
    });
    const changed = mailForEvent(
      envelope('tessera.events.teams.member.role_changed', {
        ...base,
        userId: 'u-m',
        from: 'developer',
        to: 'billing',
        teamName: 'Engines',
      }),
    );
    expect(changed).toMatchObject({ to: { userId: 'u-m' }, subject: 'Your role in Engines is now Billing' });
    const removed = mailForEvent(
      envelope('tessera.events.teams.member.removed', { ...base, userId: 'u-m', teamName: 'Engines' }),
    );
    expect(removed).toMatchObject({ to: { userId: 'u-m' }, subject: 'You were removed from Engines' });
  });

  it('means no e-mail for the other teams events', () => {
    expect(mailForEvent(envelope('tessera.events.teams.team.created', { ...base, name: 'x' }))).toBeNull();
    expect(
      mailForEvent(
        envelope('tessera.events.teams.invitation.cancelled', { ...base, invitationId: 'i', email: 'e' }),
      ),
    ).toBeNull();
    expect(mailForEvent(envelope('tessera.events.teams.something.new', {}))).toBeNull();
  });

  it('leaves checking the payload to its schema, which the consumer applies before this', () => {
    const removed = eventSchema('tessera.events.teams.member.removed');
    expect(removed?.safeParse({ ...base }).success).toBe(false);
  });
});
