import { Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { $api, type Schemas } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { ROLE_LABELS } from '../../hooks/accounts';
import { dateTime } from '../../format';

type Membership = Schemas['OrgMemberView'];
type Invitation = Schemas['OrgInvitationView'];

/** One person of the organization with every team they are in (the API answers one row per membership). */
interface OrgPerson {
  userId: string;
  name: string | null;
  email: string | null;
  teams: { teamId: string; teamName: string; role: Membership['role'] }[];
}

function byPerson(memberships: readonly Membership[]): OrgPerson[] {
  const people = new Map<string, OrgPerson>();
  for (const { userId, name, email, teamId, teamName, role } of memberships) {
    const person = people.get(userId) ?? { userId, name, email, teams: [] };
    person.teams.push({ teamId, teamName, role });
    people.set(userId, person);
  }
  return [...people.values()];
}

const memberColumns: Column<OrgPerson>[] = [
  { header: 'Name', cell: (person) => person.name ?? '—' },
  { header: 'E-mail', cell: (person) => person.email ?? '—' },
  {
    header: 'Teams and roles',
    cell: (person) => (
      <Stack gap={2}>
        {person.teams.map((team) => (
          <Text key={team.teamId} size="sm">
            {team.teamName}: {ROLE_LABELS[team.role]}
          </Text>
        ))}
      </Stack>
    ),
  },
];

const invitationColumns: Column<Invitation>[] = [
  { header: 'E-mail', cell: (invitation) => invitation.email },
  { header: 'Team', cell: (invitation) => invitation.teamName },
  { header: 'Role', cell: (invitation) => ROLE_LABELS[invitation.role] },
  { header: 'Sent', cell: (invitation) => dateTime(invitation.createdAt) },
  { header: 'Expires', cell: (invitation) => dateTime(invitation.expiresAt) },
];

export function Component() {
  const orgId = useOrgId();
  return (
    <OrgPage
      title="Members"
      description={(organization) => `Everyone in the teams of ${organization.name}, and who is invited.`}
    >
      {() => (
        <Stack gap="xl">
          <OrgMembers orgId={orgId} />
          <OrgInvitations orgId={orgId} />
        </Stack>
      )}
    </OrgPage>
  );
}

function OrgMembers(props: { orgId: string }) {
  const members = $api.useQuery('get', '/v1/orgs/{orgId}/members', {
    params: { path: { orgId: props.orgId } },
  });
  const people = useMemo(() => byPerson(members.data ?? []), [members.data]);
  return (
    <QueryState query={members} label="members" empty="No team of this organization has members yet.">
      {() => (
        <PaginatedTable
          caption="Members"
          rows={people}
          columns={memberColumns}
          rowKey={(person) => person.userId}
          searchText={(person) =>
            [person.name, person.email, ...person.teams.map((team) => team.teamName)].join(' ')
          }
        />
      )}
    </QueryState>
  );
}

function OrgInvitations(props: { orgId: string }) {
  const invitations = $api.useQuery('get', '/v1/orgs/{orgId}/invitations', {
    params: { path: { orgId: props.orgId } },
  });
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Pending invitations
      </Title>
      <QueryState query={invitations} label="invitations" empty="No invitation is waiting.">
        {(rows) => (
          <PaginatedTable
            caption="Pending invitations"
            rows={rows}
            columns={invitationColumns}
            rowKey={(invitation) => invitation.id}
            searchText={(invitation) => `${invitation.email} ${invitation.teamName}`}
          />
        )}
      </QueryState>
    </Stack>
  );
}
