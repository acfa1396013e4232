import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { useAccount } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';
import type { UsageBar } from './usage-chart';
import type { UsageRange } from './usage-range';
import { UsageBreakdowns, type UsageReportView, UsageView } from './usage-view';

type UsageRow = Schemas['UsageReport']['rows'][number];

/** `/a/:accountId/usage`: the account's requests over time and by who made them and by action (Admin and Billing). */
export function Component() {
  const { accountId = '' } = useParams();
  const account = useAccount(accountId);
  const isTeam = account?.kind === 'team';
  const permissions = useTeamPermissions(isTeam ? accountId : undefined);
  // A personal account's owner sees its usage; in a team it is the billing roles' (Admin, Billing).
  const allowed = !account
    ? undefined
    : !isTeam
      ? true
      : permissions.isPending
        ? undefined
        : permissions.can('billing.manage');
  return (
    <UsageView
      description="Requests made with this account’s keys and by its members, as the decision point recorded them."
      allowed={allowed}
      refusal="An Admin or a Billing member of this team sees its usage."
    >
      {(range) => <AccountUsage accountId={accountId} range={range} />}
    </UsageView>
  );
}

function AccountUsage(props: { accountId: string; range: UsageRange['query'] }) {
  const report = (groupBy: 'actor' | 'action') => ({
    params: { path: { accountId: props.accountId }, query: { ...props.range, groupBy } },
  });
  const byActor = $api.useQuery('get', '/v1/accounts/{accountId}/usage', report('actor'));
  const byAction = $api.useQuery('get', '/v1/accounts/{accountId}/usage', report('action'));
  const data: UsageReportView | undefined =
    byActor.data && byAction.data
      ? {
          overTime: {
            title: 'Requests over time',
            interval: props.range.interval,
            from: byActor.data.from,
            to: byActor.data.to,
            points: byActor.data.rows.map((row) => ({
              ...seriesOf(row),
              period: row.period ?? byActor.data.from,
              requests: row.requests,
            })),
          },
          breakdowns: [
            {
              title: 'By member or key',
              category: 'Member or key',
              bars: totals(byActor.data.rows, actorOf),
            },
            { title: 'By action', category: 'Action', bars: totals(byAction.data.rows, actionOf) },
          ],
        }
      : undefined;
  return (
    <UsageBreakdowns
      query={{
        data,
        error: byActor.error ?? byAction.error,
        isPending: byActor.isPending || byAction.isPending,
      }}
    />
  );
}

type Category = Omit<UsageBar, 'requests'>;

/** The rows come per period: each category's requests summed over the range, most first. */
function totals(rows: readonly UsageRow[], categoryOf: (row: UsageRow) => Category): UsageBar[] {
  const bars = new Map<string, UsageBar>();
  for (const row of rows) {
    const category = categoryOf(row);
    const bar = bars.get(category.key) ?? { ...category, requests: 0 };
    bar.requests += row.requests;
    bars.set(category.key, bar);
  }
  return [...bars.values()].sort((a, b) => b.requests - a.requests);
}

/** A member by name, a key as "Team key" (or "Personal key") with the key's name beside it. */
function actorOf(row: UsageRow): Category {
  const actor = row.actor;
  if (!actor) return { key: 'unknown', label: 'Unknown' };
  return {
    key: `${actor.type}:${actor.id}`,
    label: actor.label,
    detail: actor.type === 'key' ? actor.keyName : (actor.email ?? undefined),
  };
}

/** In the chart's legend and the table's header a key needs its name beside "Team key": one word each. */
function seriesOf(row: UsageRow): Category {
  const actor = actorOf(row);
  return row.actor?.type === 'key' ? { key: actor.key, label: `${actor.label} (${actor.detail})` } : actor;
}

function actionOf(row: UsageRow): Category {
  const action = row.action ?? 'unknown';
  return { key: action, label: action };
}
