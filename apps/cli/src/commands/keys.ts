import { Command, InvalidArgumentError, Option } from 'commander';
import type { ApiSchemas } from '@tessera/client';
import { CliContext } from '../context';
import { pick } from '../lookup';
import { date } from '../output';
import type { Act } from '../program';

const DURATION = /^(\d+)([hdw])$/;
const HOURS = { h: 1, d: 24, w: 24 * 7 } as const;

/** `--expires`: a date or instant (ISO 8601), or a lifetime such as `12h`, `30d`, `4w`. */
export function expiry(value: string, now = Date.now()): string {
  const lifetime = DURATION.exec(value);
  if (lifetime) {
    const hours = Number(lifetime[1]) * HOURS[lifetime[2] as keyof typeof HOURS];
    return new Date(now + hours * 3_600_000).toISOString();
  }
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at))
    throw new InvalidArgumentError(
      'Give a date (2027-01-31), an instant (ISO 8601), or a lifetime: 12h, 30d, 4w.',
    );
  return new Date(at).toISOString();
}

function seconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Give a whole number of seconds.');
  return Number(value);
}

const scope = new Option(
  '--scope <scope>',
  'API (call models and endpoints) or ADMIN (also deploy and run apps)',
)
  .argParser((value: string) => {
    const upper = value.toUpperCase();
    if (upper !== 'API' && upper !== 'ADMIN') throw new InvalidArgumentError('The scope is API or ADMIN.');
    return upper as ApiSchemas['KeyScope'];
  })
  .makeOptionMandatory();

async function findKey(
  context: CliContext,
  accountId: string,
  reference: string,
): Promise<ApiSchemas['KeyView']> {
  const keys = await (await context.client()).keys(accountId);
  return pick(keys, reference, { id: (key) => key.id, label: (key) => key.name }, 'key', 'tessera keys list');
}

function shown(secret: string, context: CliContext): void {
  context.output.note('Copy the key now: Tessera keeps only its hash and cannot show it again.');
  if (!context.output.json) context.output.line(secret);
}

async function create(context: CliContext, options: Record<string, unknown>): Promise<void> {
  const accountId = await context.accountId();
  const issued = await (
    await context.client()
  ).createKey(accountId, {
    name: options.name as string,
    scope: options.scope as ApiSchemas['KeyScope'],
    expiresAt: options.expires as string | undefined,
  });
  const { key } = issued;
  if (context.output.json) context.output.data(issued);
  else
    context.output.note(
      `Created ${key.scope} key "${key.name}" (${key.id})${key.expiresAt ? `, expires ${date(key.expiresAt)}` : ''}.`,
    );
  shown(issued.secret, context);
}

async function list(context: CliContext): Promise<void> {
  const keys = await (await context.client()).keys(await context.accountId());
  context.output.list(
    keys,
    [
      { header: 'ID', value: (key) => key.id },
      { header: 'NAME', value: (key) => key.name },
      { header: 'SCOPE', value: (key) => key.scope },
      { header: 'KEY', value: (key) => `${key.prefix}…${key.last4}` },
      { header: 'CREATED', value: (key) => date(key.createdAt) },
      { header: 'EXPIRES', value: (key) => date(key.expiresAt) ?? 'never' },
      { header: 'LAST USED', value: (key) => date(key.lastUsedAt) ?? 'never' },
    ],
    'This account has no API keys: "tessera keys create --name … --scope API" makes one.',
  );
}

async function revoke(context: CliContext, reference: string): Promise<void> {
  const accountId = await context.accountId();
  const key = await findKey(context, accountId, reference);
  await (await context.client()).revokeKey(accountId, key.id);
  context.output.result(
    { revoked: key.id },
    `Revoked key "${key.name}" (${key.id}): it stops working within a second.`,
  );
}

async function rotate(
  context: CliContext,
  reference: string,
  options: Record<string, unknown>,
): Promise<void> {
  const accountId = await context.accountId();
  const key = await findKey(context, accountId, reference);
  const issued = await (await context.client()).rotateKey(accountId, key.id, options.grace as number);
  if (context.output.json) context.output.data(issued);
  else {
    const until = issued.key.previousSecretValidUntil;
    context.output.note(
      `Rotated key "${key.name}" (${key.id}); the previous secret ${until ? `works until ${date(until)}` : 'no longer works'}.`,
    );
  }
  shown(issued.secret, context);
}

export function registerKeys(program: Command, act: Act): void {
  const keys = program
    .command('keys')
    .description("The active account's API keys (creating, revoking and rotating needs the Admin role).");
  keys
    .command('create')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci" or "production"')
    .addOption(scope)
    .option('--expires <when>', 'a date, an instant, or a lifetime: 12h, 30d, 4w (default: never)', (value) =>
      expiry(value),
    )
    .description('Creates an API key and prints its secret, once.')
    .addHelpText(
      'after',
      `
The secret goes to standard output, everything else to standard error:
  $ tessera keys create --name ci --scope API --expires 90d > ci.key

Examples:
  $ tessera keys create --name production --scope ADMIN
  $ tessera keys create --name ci --scope API --expires 2027-06-30 --team Research`,
    )
    .action(act((context, _args, options) => create(context, options)));
  keys
    .command('list')
    .description('Lists keys: metadata only, never secrets (Admin and Billing).')
    .addHelpText('after', '\nExamples:\n  $ tessera keys list\n  $ tessera keys list --json')
    .action(act((context) => list(context)));
  keys
    .command('revoke')
    .argument('<key>', 'key id or name')
    .description('Revokes a key for good.')
    .addHelpText('after', '\nExample:\n  $ tessera keys revoke ci')
    .action(act((context, [key]) => revoke(context, key)));
  keys
    .command('rotate')
    .argument('<key>', 'key id or name')
    .option('--grace <seconds>', 'how long the previous secret keeps working (0: stops at once)', seconds, 0)
    .description('Gives the key a new secret, printed once.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera keys rotate ci --grace 3600   # an hour to roll the new secret out\n  $ tessera keys rotate ci                # leaked: the old secret stops now',
    )
    .action(act((context, [key], options) => rotate(context, key, options)));
}
