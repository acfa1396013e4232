import { Command, InvalidArgumentError, Option } from 'commander';
import type { ApiSchemas } from '@tessera/client';
import { CliContext } from '../context';
import { Column, date } from '../output';
import type { Act } from '../program';

type UsageRow = ApiSchemas['UsageReport']['rows'][number];

/** `--from` and `--to`: a date (read as its midnight UTC) or an ISO 8601 instant, checked before any request. */
export function moment(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value))
    throw new InvalidArgumentError('Give a date (2026-12-01) or an instant (2026-12-01T09:00:00Z).');
  return value.length === 10 ? value : new Date(at).toISOString();
}

const COLUMNS: Record<ApiSchemas['UsageReport']['groupBy'], Column<UsageRow>[]> = {
  actor: [
    { header: 'ACTOR', value: (row) => row.actor?.label },
    { header: 'TYPE', value: (row) => row.actor?.type },
    { header: 'WHO', value: (row) => row.actor?.email ?? row.actor?.keyName },
    { header: 'REQUESTS', value: (row) => row.requests },
  ],
  action: [
    { header: 'ACTION', value: (row) => row.action },
    { header: 'REQUESTS', value: (row) => row.requests },
  ],
};

async function usage(context: CliContext, options: Record<string, unknown>): Promise<void> {
  const client = await context.client();
  const report = await client.usage(await client.accountId(), {
    groupBy: options.by as ApiSchemas['UsageReport']['groupBy'],
    from: options.from as string | undefined,
    to: options.to as string | undefined,
  });
  if (context.output.json) return context.output.data(report);
  context.output.note(
    `Requests of account ${report.accountId} from ${date(report.from)} to ${date(report.to)}, by ${report.groupBy}:`,
  );
  context.output.list(report.rows, COLUMNS[report.groupBy], 'No requests were recorded in this range.');
}

export function registerUsage(program: Command, act: Act): void {
  program
    .command('usage')
    .description(
      "The active account's requests, by member and key or by action (Admin, Billing, ADMIN keys).",
    )
    .addOption(
      new Option('--by <grouping>', 'count by actor (members and keys) or by action')
        .choices(['actor', 'action'])
        .default('actor'),
    )
    .option('--from <when>', 'a date or an instant (default: 30 days before --to)', moment)
    .option('--to <when>', 'a date or an instant, exclusive (default: now)', moment)
    .addHelpText(
      'after',
      `
Requests are those recorded by the decision point (authz check with record). Dates are UTC.

Examples:
  $ tessera usage
  $ tessera usage --by action --from 2026-11-01 --to 2026-12-01
  $ tessera usage --team Research --json`,
    )
    .action(act((context, _args, options) => usage(context, options)));
}
