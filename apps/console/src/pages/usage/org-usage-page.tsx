import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { useAccounts } from '../../hooks/accounts';
import type { UsageBar } from './usage-chart';
import type { UsageRange } from './usage-range';
import { UsageBreakdowns, type UsageReportView, UsageView } from './usage-view';

type OrgUsage = Schemas['OrgUsageReport'];

/** `/o/:orgId/usage`: every team's requests, by team and by action, and over time (Org Admins). */
export function Component() {
  const { orgId = '' } = useParams();
  const accounts = useAccounts();
  // Organizations are among a person's accounts only when they are one of its Org Admins.
  const allowed = accounts.data?.some((account) => account.id === orgId && account.kind === 'organization');
  return (
    <UsageView
      description="Requests of every team of the organization, over time, by team and by action."
      allowed={accounts.isPending ? undefined : allowed}
      refusal="The organization’s Org Admins see its usage; a team’s Admins and Billing members see the team’s."
    >
      {(range) => <OrgUsage orgId={orgId} range={range} />}
    </UsageView>
  );
}

function OrgUsage(props: { orgId: string; range: UsageRange['query'] }) {
  const usage = $api.useQuery('get', '/v1/orgs/{orgId}/usage', {
    params: { path: { orgId: props.orgId }, query: props.range },
  });
  const data: UsageReportView | undefined = usage.data && {
    overTime: {
      title: 'Requests over time',
      interval: props.range.interval,
      from: usage.data.from,
      to: usage.data.to,
      points: usage.data.teams.flatMap((team) =>
        (team.byPeriod ?? []).map(({ period, requests }) => ({
          period,
          key: team.teamId,
          label: team.teamName,
          requests,
        })),
      ),
    },
    breakdowns: [
      { title: 'By team', category: 'Team', bars: teamBars(usage.data) },
      { title: 'By action', category: 'Action', bars: actionBars(usage.data) },
    ],
  };
  return <UsageBreakdowns query={{ ...usage, data }} />;
}

function teamBars(usage: OrgUsage): UsageBar[] {
  return usage.teams
    .filter((team) => team.requests > 0)
    .map((team) => ({ key: team.teamId, label: team.teamName, requests: team.requests }));
}

/** Each action's requests summed over the teams. */
function actionBars(usage: OrgUsage): UsageBar[] {
  const totals = new Map<string, number>();
  for (const team of usage.teams)
    for (const { action, requests } of team.byAction)
      totals.set(action, (totals.get(action) ?? 0) + requests);
  return [...totals].map(([action, requests]) => ({ key: action, label: action, requests }));
}
