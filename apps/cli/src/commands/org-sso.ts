import { Command, InvalidArgumentError } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiSchemas } from '@tessera/client';
import { openInBrowser } from '../browser';
import { CliContext } from '../context';
import { CommandFailed } from '../errors';
import { pick } from '../lookup';
import { date } from '../output';
import type { Act } from '../program';
import { ORG_ARGUMENT, organizationId } from './org-reference';

type Connection = ApiSchemas['SsoConnectionView'];
type ConnectionTest = ApiSchemas['SsoConnectionTest'];

/** How often `sso test` asks whether the test round trip came back. */
const POLL_MS = 1_000;

function minutes(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('Give a whole number of minutes.');
  return Number(value);
}

/** The first certificate of the IdP to expire: the date a connection stops working unless it is rotated. */
function certificateExpiry(connection: Connection): string | undefined {
  return connection.identityProvider.certificates.map((certificate) => certificate.validTo).sort()[0];
}

async function list(context: CliContext, reference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  context.output.list(
    await (await context.client()).ssoConnections(orgId),
    [
      { header: 'ID', value: (connection) => connection.id },
      { header: 'NAME', value: (connection) => connection.name },
      { header: 'ENABLED', value: (connection) => (connection.enabled ? 'yes' : 'no') },
      { header: 'IDP ENTITY ID', value: (connection) => connection.identityProvider.entityId },
      { header: 'CERTIFICATE EXPIRES', value: (connection) => date(certificateExpiry(connection)) },
      { header: 'GROUP MAPPINGS', value: (connection) => connection.groupMappings.length },
    ],
    'The organization has no SSO connections.',
  );
}

/** What the IdP sent in the test, and where the person would land. */
function report(test: NonNullable<ConnectionTest['lastTest']>): string {
  const { profile, teams } = test;
  const attributes = Object.entries(profile.attributes).map(
    ([name, values]) => `    ${name}: ${values.join(', ')}`,
  );
  return [
    `The IdP answered at ${date(test.testedAt)}:`,
    `  NameID:      ${profile.nameId}${profile.nameIdFormat ? ` (${profile.nameIdFormat})` : ''}`,
    `  E-mail:      ${profile.email}`,
    `  Name:        ${profile.name ?? '-'}`,
    `  Groups:      ${profile.groups.join(', ') || '-'}`,
    `  Would join:  ${
      teams.map((team) => `${team.teamName ?? team.teamId} (${team.role})`).join(', ') ||
      'no team: this person would be refused'
    }`,
    ...(attributes.length > 0 ? ['  Attributes:', ...attributes] : []),
  ].join('\n');
}

/**
 * The API's "test connection": a URL that signs in at the IdP and provisions no one. The person opens it; this
 * waits until a test result newer than the one before arrives (compared by value, so clocks need not agree).
 */
async function test(
  context: CliContext,
  reference: string,
  connectionReference: string,
  options: Record<string, unknown>,
): Promise<void> {
  const orgId = await organizationId(context, reference);
  const client = await context.client();
  const connection = pick(
    await client.ssoConnections(orgId),
    connectionReference,
    { id: (candidate) => candidate.id, label: (candidate) => candidate.name },
    'SSO connection',
    `tessera orgs sso list ${reference}`,
  );
  const before = (await client.lastSsoTest(orgId, connection.id)).lastTest?.testedAt;
  const { testUrl } = await client.startSsoTest(orgId, connection.id);
  if (options.wait === false) return context.output.result({ testUrl }, testUrl);
  context.output.note(`Open ${testUrl}`);
  context.output.note(
    '  and sign in at the IdP as the person to test: nobody is signed in or added to a team.',
  );
  if (options.browser !== false) await openInBrowser(testUrl);
  const waiting = context.output.progress(`Waiting for the answer of ${connection.name}…`);
  const deadline = Date.now() + (options.timeout as number) * 60_000;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    const result = await client.lastSsoTest(orgId, connection.id);
    if (result.lastTest && result.lastTest.testedAt !== before) {
      waiting.done('The test came back.');
      return context.output.result(result, report(result.lastTest));
    }
  }
  waiting.fail('No answer came back.');
  throw new CommandFailed(
    'No valid answer from the IdP in time. A refused answer ends like a sign-in, with its reason in the sso.failed event.',
  );
}

export function registerOrgSso(orgs: Command, act: Act): void {
  const sso = orgs
    .command('sso')
    .description("The organization's SAML single sign-on connections (Org Admins).")
    .addHelpText('after', '\nExamples:\n  $ tessera orgs sso list Acme\n  $ tessera orgs sso test Acme Okta');
  sso
    .command('list')
    .argument('<org>', ORG_ARGUMENT)
    .description(
      "Lists the organization's SSO connections: enabled or not, the IdP, its certificate's expiry.",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera orgs sso list Acme\n  $ tessera orgs sso list Acme --json',
    )
    .action(act((context, [org]) => list(context, org)));
  sso
    .command('test')
    .argument('<org>', ORG_ARGUMENT)
    .argument('<connection>', 'connection name or id')
    .option('--no-browser', 'print the URL without opening a browser')
    .option('--no-wait', 'print the test URL (to standard output) and exit')
    .option('--timeout <minutes>', 'how long to wait for the answer (the URL works ten minutes)', minutes, 10)
    .description(
      'Tests a connection: sign in at the IdP, then see what it sent and the teams the person would join.',
    )
    .addHelpText(
      'after',
      `
Nobody is signed in, created or added to a team. It works before the connection is enabled.

Examples:
  $ tessera orgs sso test Acme Okta
  $ tessera orgs sso test Acme Okta --no-browser --json
  $ tessera orgs sso test Acme Okta --no-wait   # just the URL, to send to a colleague`,
    )
    .action(act((context, [org, connection], options) => test(context, org, connection, options)));
}
