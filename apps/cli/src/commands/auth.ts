import { Command } from 'commander';
import {
  BearerSession,
  TesseraClient,
  approvalUrl,
  loginFrom,
  requestDeviceCode,
  revokeLogin,
  waitForApproval,
} from '@tessera/client';
import { openInBrowser } from '../browser';
import { CliContext } from '../context';
import { UsageError } from '../errors';
import type { Act } from '../program';

async function login(context: CliContext, options: Record<string, unknown>): Promise<void> {
  const { output, home } = context;
  const { name, host } = await context.profile();
  const code = await requestDeviceCode(host);
  const email = typeof options.sso === 'string' ? options.sso : undefined;
  const { url, sso } = await approvalUrl(host, code, email);
  if (email && !sso)
    output.note(
      `No single sign-on is set up for ${email.slice(email.indexOf('@') + 1)}: sign in another way.`,
    );
  output.note(`! Your one-time code: ${code.user_code}`);
  output.note(`  Open ${url}`);
  output.note(
    sso
      ? "  to sign in with your organization's single sign-on, approve this login, and choose the team the CLI acts for."
      : '  to approve this login, and choose the team the CLI acts for.',
  );
  if (options.browser !== false) await openInBrowser(url);
  const waiting = output.progress('Waiting for approval in the browser…');
  let saved;
  try {
    saved = loginFrom(host, await waitForApproval(host, code));
  } catch (error) {
    waiting.fail('Login did not complete.');
    throw error;
  }
  await home.saveLogin(name, saved);
  const client = new TesseraClient({ host, credential: new BearerSession(home, name, saved, 'login') });
  const [me, principal, accounts] = await Promise.all([client.me(), client.principal(), client.accounts()]);
  const account = accounts.find((candidate) => candidate.id === principal.account.id);
  await home.updateProfile(name, (profile) => ({ ...profile, team: principal.account.id }));
  const acting = account ? `${account.name} (${account.kind})` : principal.account.id;
  waiting.done(`Logged in to ${host} as ${me.email}, acting for ${acting}.`);
  if (output.json) output.data({ host, profile: name, user: me, account });
}

async function logout(context: CliContext): Promise<void> {
  const { name } = await context.profile();
  const saved = await context.home.login(name);
  if (!saved) return context.output.note(`Profile "${name}" is not logged in.`);
  await revokeLogin(saved.host, saved.refreshToken);
  await context.home.saveLogin(name, undefined);
  context.output.note(`Logged out of ${saved.host}: the session is revoked.`);
}

async function status(context: CliContext): Promise<void> {
  const { name, host } = await context.profile();
  const credential = await context.credential();
  const client = await context.client();
  const principal = await client.principal();
  const user = credential.type === 'bearer' ? await client.me() : undefined;
  const account = user
    ? (await client.accounts()).find((candidate) => candidate.id === principal.account.id)
    : undefined;
  const report = {
    host,
    profile: name,
    credential: { type: credential.type, source: credential.source, why: credential.why },
    user: user && { id: user.id, email: user.email },
    actor: principal.actor,
    account: { ...principal.account, name: account?.name },
  };
  const who =
    principal.actor.type === 'member'
      ? `${user?.email} (${principal.actor.role})`
      : `API key ${principal.actor.keyId} (scope ${principal.actor.scope})`;
  context.output.result(
    report,
    [
      `Host:        ${host} (profile "${name}")`,
      `Credential:  ${credential.type === 'key' ? 'API key' : 'saved login'}, because ${credential.why}`,
      `Signed in:   ${who}`,
      `Acting for:  ${account ? `${account.name} (${account.kind}, ${account.id})` : `${principal.account.kind} ${principal.account.id}`}`,
    ].join('\n'),
  );
}

/**
 * Prints the saved login's access token, refreshed first (under the lock on auth.json) if it is about to expire, for
 * tools that want a Bearer token. An API key has no access token: said, not papered over.
 */
async function token(context: CliContext): Promise<void> {
  const credential = await context.credential();
  if (!(credential instanceof BearerSession))
    throw new UsageError(
      `There is no access token to print: the credential in use is an API key, because ${credential.why}. ` +
        'Use the key itself, or set TESSERA_FORCE_AUTH_BY_USER=1 to use the saved login.',
    );
  const { accessToken, expiresAt, host } = await credential.freshLogin();
  const { name } = await context.profile();
  if (context.output.json)
    context.output.data({ host, profile: name, tokenType: 'Bearer', accessToken, expiresAt });
  else context.output.line(accessToken);
}

export function registerAuth(program: Command, act: Act): void {
  const auth = program.command('auth').description('Log in, log out, and see which credential is in use.');
  auth
    .command('login')
    .description('Logs in through the browser (device login) and saves the tokens in auth.json (mode 0600).')
    .option('--no-browser', 'print the URL without opening a browser')
    .option('--sso <email>', "sign in with your organization's single sign-on, found by your work e-mail")
    .addHelpText(
      'after',
      `
The folder is ~/.tessera, or TESSERA_HOME. The team you pick in the browser becomes the active one.

Examples:
  $ tessera auth login
  $ tessera auth login --sso ada@acme.com
  $ tessera --profile staging auth login --no-browser`,
    )
    .action(act((context, _args, options) => login(context, options)));
  auth
    .command('logout')
    .description("Revokes the profile's session and forgets its tokens.")
    .addHelpText('after', '\nExample:\n  $ tessera auth logout')
    .action(act((context) => logout(context)));
  auth
    .command('status')
    .description('Shows who you are, which account commands act for, and which credential is used and why.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera auth status\n  $ TESSERA_KEY=tsk_… tessera auth status --json',
    )
    .action(act((context) => status(context)));
  auth
    .command('token')
    .description('Prints a fresh access token of the saved login (refreshed first if it is about to expire).')
    .addHelpText(
      'after',
      `
The token is a secret: it acts as you until it expires (--json shows when). With an API key in use
(TESSERA_KEY or the profile's key), there is none: the command exits 2.

Examples:
  $ curl -H "Authorization: Bearer $(tessera auth token)" http://localhost:3000/v1/me
  $ tessera auth token --json`,
    )
    .action(act((context) => token(context)));
}
