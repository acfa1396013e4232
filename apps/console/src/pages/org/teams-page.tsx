import { Anchor, Button, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { TransfersTable } from '../../components/transfers-table';
import { CreateOrgTeamDialog } from './create-org-team-dialog';
import { MoveTeamInDialog } from './move-team-in-dialog';
import { date } from '../../format';

type OrgTeam = Schemas['OrgTeamView'];

const columns: Column<OrgTeam>[] = [
  {
    header: 'Team',
    // An Org Admin acts as Admin in every team of the organization, so the team's own pages are theirs too.
    cell: (team) => (
      <Anchor component={Link} to={`/a/${team.id}/members`}>
        {team.name}
      </Anchor>
    ),
  },
  { header: 'Members', cell: (team) => team.members },
  { header: 'Pending invitations', cell: (team) => team.pendingInvitations },
  { header: 'Created', cell: (team) => date(team.createdAt) },
];

export function Component() {
  const orgId = useOrgId();
  const [creating, creation] = useDisclosure();
  const [moving, move] = useDisclosure();
  return (
    <OrgPage
      title="Teams"
      description={(organization) => `Every team of ${organization.name}.`}
      actions={(_, access) =>
        access.can('org.manage') && (
          <>
            <Button variant="default" onClick={move.open}>
              Move a team in
            </Button>
            <Button onClick={creation.open}>Create Team</Button>
          </>
        )
      }
    >
      {(_, access) => (
        <Stack gap="xl">
          <OrgTeams orgId={orgId} />
          <OrgTransfers orgId={orgId} manage={access.can('org.manage')} />
          {access.can('org.manage') && (
            <>
              <CreateOrgTeamDialog orgId={orgId} opened={creating} onClose={creation.close} />
              <MoveTeamInDialog orgId={orgId} opened={moving} onClose={move.close} />
            </>
          )}
        </Stack>
      )}
    </OrgPage>
  );
}

function OrgTeams(props: { orgId: string }) {
  const teams = $api.useQuery('get', '/v1/orgs/{orgId}/teams', { params: { path: { orgId: props.orgId } } });
  return (
    <QueryState query={teams} label="teams" empty="No team yet: create one, or move a team in.">
      {(rows) => (
        <PaginatedTable
          caption="Teams"
          rows={rows}
          columns={columns}
          rowKey={(team) => team.id}
          searchText={(team) => team.name}
        />
      )}
    </QueryState>
  );
}

function OrgTransfers(props: { orgId: string; manage: boolean }) {
  const transfers = $api.useQuery('get', '/v1/orgs/{orgId}/transfers', {
    params: { path: { orgId: props.orgId } },
  });
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Moves into this organization
      </Title>
      <QueryState query={transfers} label="moves" empty="No team has asked to move in.">
        {(rows) => <TransfersTable transfers={rows} side="organization" manage={props.manage} />}
      </QueryState>
    </Stack>
  );
}
