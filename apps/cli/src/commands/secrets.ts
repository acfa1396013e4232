import { Command } from 'commander';
import { SECRET_NAME } from '@tessera/contracts';
import { CliContext } from '../context';
import { UsageError } from '../errors';
import { readInput } from '../input';
import { date } from '../output';
import type { Act } from '../program';

const CTRL_C = '\u0003';
const BACKSPACE = ['\u007f', '\b'];

function checkedName(name: string): string {
  if (!SECRET_NAME.test(name))
    throw new UsageError(
      `"${name}" is not a secret name: 1 to 128 of A-Z, 0-9 and _, not starting with a digit (e.g. DATABASE_URL).`,
    );
  return name;
}

/** Standard input to its end, less one final line break (what `echo` and editors add, not part of the value). */
async function fromStdin(): Promise<string> {
  return (await readInput('-')).replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed: the value never appears on the screen. */
function typedHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === CTRL_C) return finish(() => reject(new UsageError('Cancelled: nothing was set.')));
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        value = BACKSPACE.includes(char) ? value.slice(0, -1) : value + char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The value from standard input (`--value -`, or piped without `--value`), else typed at a hidden prompt. Never
 * from the command line itself, where shell history and the process list would keep it.
 */
async function secretValue(name: string, option: string | undefined): Promise<string> {
  if (option !== undefined && option !== '-')
    throw new UsageError(
      'Give the value on standard input, not on the command line (shell history and the process list keep ' +
        `arguments): printf %s "$VALUE" | tessera secrets set ${name} --value -`,
    );
  if (option === '-' || !process.stdin.isTTY) return fromStdin();
  return typedHidden(`Value for ${name} (not shown): `);
}

/** An empty value is most often a mistake (an unset variable piped in, an empty file), so it must be asked for. */
function checkedValue(name: string, value: string, allowEmpty: boolean): string {
  if (value === '' && !allowEmpty)
    throw new UsageError(
      `The value for ${name} is empty, and nothing was set. Pass --allow-empty to store an empty value.`,
    );
  return value;
}

async function set(context: CliContext, name: string, options: Record<string, unknown>): Promise<void> {
  checkedName(name);
  const value = checkedValue(
    name,
    await secretValue(name, options.value as string | undefined),
    options.allowEmpty === true,
  );
  const accountId = await context.accountId();
  const secret = await (await context.client()).setSecret(accountId, name, value);
  context.output.result(
    secret,
    `Set secret ${name}: deployed apps of this account read the new value from now on.`,
  );
}

async function list(context: CliContext): Promise<void> {
  const secrets = await (await context.client()).secrets(await context.accountId());
  context.output.list(
    secrets,
    [
      { header: 'NAME', value: (secret) => secret.name },
      { header: 'UPDATED', value: (secret) => date(secret.updatedAt) },
      { header: 'UPDATED BY', value: (secret) => secret.updatedBy.email ?? secret.updatedBy.userId },
      { header: 'CREATED', value: (secret) => date(secret.createdAt) },
    ],
    'This account has no secrets: "tessera secrets set NAME" sets one.',
  );
}

async function unset(context: CliContext, name: string): Promise<void> {
  checkedName(name);
  await (await context.client()).deleteSecret(await context.accountId(), name);
  context.output.result({ deleted: name }, `Deleted secret ${name}: apps no longer receive it.`);
}

export function registerSecrets(program: Command, act: Act): void {
  const secrets = program
    .command('secrets')
    .description(
      "The active account's secrets, read by its deployed apps (Admin). Values go in, never come out.",
    );
  secrets
    .command('set')
    .argument('<name>', 'an environment variable name, e.g. DATABASE_URL')
    .option('--value <source>', '"-" reads the value from standard input (without --value: a hidden prompt)')
    .option('--allow-empty', 'store an empty value (refused otherwise, as most often a mistake)')
    .description('Creates a secret, or replaces its value. The value is never printed.')
    .addHelpText(
      'after',
      `
Without --value, a terminal asks for the value without showing it; piped input is read as with --value -.
One final line break of standard input is dropped. Values are at most 64 KiB; an empty value is
refused (exit 2) unless --allow-empty is given.

Examples:
  $ tessera secrets set OPENAI_API_KEY
  $ printf %s "$DATABASE_URL" | tessera secrets set DATABASE_URL --value -
  $ tessera secrets set TLS_KEY --value - < server.key --team Research
  $ printf '' | tessera secrets set FEATURE_FLAGS --value - --allow-empty`,
    )
    .action(act((context, [name], options) => set(context, name, options)));
  secrets
    .command('list')
    .description('Lists secrets by name, with who set them and when: never values.')
    .addHelpText('after', '\nExamples:\n  $ tessera secrets list\n  $ tessera secrets list --json')
    .action(act((context) => list(context)));
  secrets
    .command('unset')
    .argument('<name>', 'the secret to delete')
    .description('Deletes a secret; apps no longer receive it.')
    .addHelpText('after', '\nExample:\n  $ tessera secrets unset OPENAI_API_KEY')
    .action(act((context, [name]) => unset(context, name)));
}
