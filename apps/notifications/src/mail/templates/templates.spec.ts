import { Role } from '@tessera/contracts';
import { escapeHtml } from '@tessera/runtime';
import { roleAbilities } from './html';
import { invitationAcceptedMail } from './invitation-accepted.template';
import { invitationMail, invitationSubject } from './invitation.template';
import { memberRemovedMail } from './member-removed.template';
import { roleChangedMail } from './role-changed.template';

const hostile = `<script>alert("x")</script> & 'co'`;

describe('e-mail templates', () => {
  it.each([
    [
      'invitation',
      invitationMail({
        email: hostile,
        teamName: hostile,
        role: 'admin',
        invitedByName: hostile,
        acceptUrl: `https://x.test/invite/accept?token=a"b<c`,
        expiresAt: new Date('2030-01-02T03:04:00Z'),
      }),
    ],
    ['invitation accepted', invitationAcceptedMail({ acceptedEmail: hostile, teamName: hostile })],
    ['role changed', roleChangedMail({ teamName: hostile, from: 'billing', role: 'developer' })],
    ['member removed', memberRemovedMail({ teamName: hostile })],
  ])('renders the %s e-mail as text and escaped HTML', (_name, mail) => {
    expect(mail.text).toContain(hostile);
    expect(mail.subject).toContain(hostile);
    expect(mail.html).toContain(escapeHtml(hostile));
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('a"b<c');
  });

  it('says who invited, as which role, and until when', () => {
    const mail = invitationMail({
      email: 'new@example.com',
      teamName: 'Engines',
      role: 'developer',
      invitedByName: 'Ada',
      acceptUrl: 'https://x.test/invite/accept?token=t',
      expiresAt: new Date('2030-01-02T03:04:00Z'),
    });
    expect(mail.subject).toBe('Ada invited you to join Engines as Developer');
    expect(mail.text).toContain('https://x.test/invite/accept?token=t');
    expect(mail.text).toContain('2 January 2030 at 03:04 UTC');
    expect(invitationSubject({ teamName: 'Engines', role: 'billing', invitedByName: null })).toBe(
      'You are invited to join Engines as Billing',
    );
  });

  it('says what each role can do today, and that a replaced invitation’s link no longer works', () => {
    const mail = (role: Role, previousRole?: Role) =>
      invitationMail({
        email: 'new@example.com',
        teamName: 'Engines',
        role,
        previousRole,
        invitedByName: 'Ada',
        acceptUrl: 'https://x.test/invite/accept?token=t',
        expiresAt: new Date('2030-01-02T03:04:00Z'),
      });
    expect(mail('admin').text).toContain(
      "As Admin you can manage the team's members, roles and API keys, and see its usage.",
    );
    expect(mail('developer').text).toContain("As Developer you can use the team's API keys and secrets.");
    expect(mail('billing').text).toContain("As Billing you can see the team's usage and its API keys.");
    for (const role of ['admin', 'developer', 'billing'] as const)
      expect(roleAbilities(role)).not.toMatch(/invoice|payment|credit|billing|apps/i);
    const replaced = mail('billing', 'admin');
    expect(replaced.text).toContain(
      'This replaces your earlier invitation as Admin: its link no longer works.',
    );
    expect(replaced.html).toContain(
      'This replaces your earlier invitation as Admin: its link no longer works.',
    );
    expect(mail('billing').text).not.toContain('replaces');
  });
});
