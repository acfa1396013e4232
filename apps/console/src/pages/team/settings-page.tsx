import { Alert, Divider } from '@mantine/core';
import { Page } from '../../components/page';
import type { Account } from '../../hooks/accounts';
import { useTeamPermissions } from '../../hooks/permissions';
import { ArchiveTeam } from './archive-team';
import { LeaveTeam } from './leave-team';
import { RenameTeam } from './rename-team';
import { TeamRoute } from './team-route';
import { TeamTransfers } from './team-transfers';

/**
 * `/a/:accountId/settings`: the team's name, leaving it, and (Admin) the pending moves into an organization and
 * archiving it.
 */
export function Component() {
  return <TeamRoute>{(team) => <TeamSettings key={team.id} team={team} />}</TeamRoute>;
}

function TeamSettings(props: { team: Account }) {
  const permissions = useTeamPermissions(props.team.id);
  const canManage = permissions.can('team.manage');
  return (
    <Page title="Settings" description={`Settings of the team ${props.team.name}.`}>
      {permissions.data && !canManage && (
        <Alert color="gray" title="Read-only">
          An Admin of the team renames or archives it.
        </Alert>
      )}
      {permissions.data && <RenameTeam team={props.team} canRename={canManage} />}
      <Divider />
      <LeaveTeam team={props.team} />
      {canManage && (
        <>
          <TeamTransfers teamId={props.team.id} />
          <Divider />
          <ArchiveTeam team={props.team} />
        </>
      )}
    </Page>
  );
}
