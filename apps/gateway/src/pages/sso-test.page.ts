import { SsoCompleteReply } from '@tessera/contracts';
import { html } from '@tessera/runtime';
import { page } from './html';

type TestResult = Extract<SsoCompleteReply, { purpose: 'test' }>;

/** What the IdP sent in a "test connection" round trip, for the IT admin; nobody was signed in or provisioned. */
export function ssoTestPage({ profile, teams }: TestResult): string {
  return page(
    'SSO connection works',
    html`<p>Your identity provider signed a valid assertion. Nobody was signed in or added to a team.</p>
      <dl>
        <dt>NameID</dt>
        <dd><code>${profile.nameId}</code> ${profile.nameIdFormat ?? ''}</dd>
        <dt>E-mail</dt>
        <dd>${profile.email}</dd>
        <dt>Name</dt>
        <dd>${profile.name ?? '(none)'}</dd>
        <dt>Groups</dt>
        <dd>${profile.groups.length ? profile.groups.join(', ') : '(none)'}</dd>
        <dt>Would join</dt>
        <dd>${teams.length ? teams.join(', ') : 'no team: add a group mapping or a default team'}</dd>
      </dl>
      <h2>All attributes</h2>
      <dl>
        ${Object.entries(profile.attributes).map(
          ([name, values]) =>
            html`<dt><code>${name}</code></dt>
              <dd>${values.join(', ')}</dd>`,
        )}
      </dl>`,
  );
}
