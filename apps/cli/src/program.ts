import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NotSignedInError,
  TesseraApiError,
  TesseraConnectionError,
  UnknownProfileError,
  readClientEnvironment,
} from '@tessera/client';
import { registerAuth } from './commands/auth';
import { registerAuthz } from './commands/authz';
import { registerInvitations } from './commands/invitations';
import { registerKeys } from './commands/keys';
import { registerMembers } from './commands/members';
import { registerOrgs } from './commands/orgs';
import { registerProfile } from './commands/profile';
import { registerSecrets } from './commands/secrets';
import { registerTeams } from './commands/teams';
import { registerUsage } from './commands/usage';
import { CliContext, GlobalOptions } from './context';
import { CommandFailed, UsageError } from './errors';

export const EXIT = { ok: 0, api: 1, usage: 2 } as const;

/** Runs one command; everything it prints is meant for people or scripts, never a stack trace. */
export type Action = (context: CliContext, args: string[], options: Record<string, unknown>) => Promise<void>;
export type Act = (action: Action) => (...params: unknown[]) => Promise<void>;

/** The package's version, read at run time (package.json sits outside the compiled tree). */
function version(): string {
  const manifest = join(__dirname, '..', '..', '..', '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function buildProgram(env: Record<string, string | undefined>): Command {
  const clientEnvironment = readClientEnvironment(env);
  const act: Act =
    (action) =>
    (...params) => {
      const command = params.pop() as Command;
      const options = params.pop() as Record<string, unknown>;
      const context = new CliContext(clientEnvironment, command.optsWithGlobals<GlobalOptions>());
      return action(context, params as string[], options);
    };
  const program = new Command('tessera')
    .description('Tessera from the terminal: sign in, switch teams, manage keys and members.')
    .option(
      '--profile <name>',
      'use this profile for this command (default: the one chosen with "profile use")',
    )
    .option('--team <team>', 'act for this team (id, name, or "personal") for this command only')
    .option('--json', 'print results as JSON, for scripts')
    .version(version(), '-v, --version')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Credentials, in order: TESSERA_KEY, the profile's key, the login saved by "tessera auth login".
TESSERA_FORCE_AUTH_BY_USER=1 uses the saved login even when a key is set.

Examples:
  $ tessera auth login
  $ tessera teams set Research
  $ tessera members invite --csv people.csv
  $ tessera keys create --name ci --scope API`,
    );
  for (const register of [
    registerAuth,
    registerTeams,
    registerProfile,
    registerKeys,
    registerMembers,
    registerInvitations,
    registerAuthz,
    registerUsage,
    registerOrgs,
    registerSecrets,
  ])
    register(program, act);
  return program;
}

/** Parses and runs the command line; answers the exit code: 0 ok, 1 the API (or the network) refused, 2 usage. */
export async function run(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  const print = (line: string) => process.stderr.write(`${line}\n`);
  if (error instanceof CommanderError) {
    // Commander has printed the message (or the help) already.
    return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)
      ? EXIT.ok
      : EXIT.usage;
  }
  if (error instanceof UsageError || error instanceof UnknownProfileError) {
    print(`error: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof TesseraApiError) {
    const request = error.requestId ? `, request ${error.requestId}` : '';
    print(`error: ${error.message} (${error.code}${request})`);
    return EXIT.api;
  }
  if (error instanceof CommandFailed) {
    if (error.message) print(`error: ${error.message}`);
    return EXIT.api;
  }
  if (error instanceof NotSignedInError || error instanceof TesseraConnectionError) {
    print(`error: ${error.message}`);
    return EXIT.api;
  }
  print(`error: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.api;
}
