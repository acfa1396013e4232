import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { useAccount } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';
import type { UsageBar } from './usage-chart';
import type { UsageRange } from './usage-range';
import { UsageBreakdowns, UsageView } from './usage-view';

type UsageRow = Schemas['UsageReport']['rows'][number];

/** `/a/:accountId/usage`: the account's requests by who made them and by action (Admin and Billing). */
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
  const data =
    byActor.data && byAction.data
      ? [
          { title: 'By member or key', category: 'Member or key', bars: byActor.data.rows.map(actorBar) },
          { title: 'By action', category: 'Action', bars: byAction.data.rows.map(actionBar) },
        ]
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

/** A member by name, a key as "Team key" (or "Personal key") with the key's name beside it. */
function actorBar(row: UsageRow): UsageBar {
  const actor = row.actor;
  if (!actor) return { key: 'unknown', label: 'Unknown', requests: row.requests };
  return {
    key: `${actor.type}:${actor.id}`,
    label: actor.label,
    detail: actor.type === 'key' ? actor.keyName : (actor.email ?? undefined),
    requests: row.requests,
  };
}

function actionBar(row: UsageRow): UsageBar {
  const action = row.action ?? 'unknown';
  return { key: action, label: action, requests: row.requests };
}
