import { Alert, Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { $api } from '../../api/client';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { type Account, useMe } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';
import { BulkInviteDialog } from './bulk-invite-dialog';
import { InviteDialog } from './invite-dialog';
import { MembersTable } from './members-table';
import { PendingInvitations } from './pending-invitations';
import { TeamRoute } from './team-route';

/** `/a/:accountId/members`: who is in the team with which role; an Admin invites, changes roles and removes. */
export function Component() {
  return <TeamRoute>{(team) => <MembersOfTeam team={team} />}</TeamRoute>;
}

function MembersOfTeam(props: { team: Account }) {
  const teamId = props.team.id;
  const permissions = useTeamPermissions(teamId);
  const me = useMe();
  const members = $api.useQuery('get', '/v1/teams/{id}/members', { params: { path: { id: teamId } } });
  const [inviting, invite] = useDisclosure();
  const [bulk, bulkDialog] = useDisclosure();
  const canInvite = permissions.can('invitations.manage');
  const canManage = permissions.can('members.manage');

  return (
    <Page
      title="Members"
      description={`The people in ${props.team.name} and their roles.`}
      actions={
        canInvite && (
          <>
            <Button onClick={invite.open}>Invite</Button>
            <Button variant="default" onClick={bulkDialog.open}>
              Bulk
            </Button>
          </>
        )
      }
    >
      {permissions.data && !canManage && (
        <Alert color="gray" title="Read-only">
          An Admin of the team invites people, changes roles and removes members.
        </Alert>
      )}
      <QueryState query={members} label="members" empty="The team has no members.">
        {(rows) => (
          <MembersTable teamId={teamId} members={rows} canManage={canManage} myUserId={me.data?.id} />
        )}
      </QueryState>
      {canInvite && <PendingInvitations teamId={teamId} />}
      {canInvite && (
        <>
          <InviteDialog teamId={teamId} opened={inviting} onClose={invite.close} />
          <BulkInviteDialog teamId={teamId} opened={bulk} onClose={bulkDialog.close} />
        </>
      )}
    </Page>
  );
}
