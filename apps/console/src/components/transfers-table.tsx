import { Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { $api, type Schemas } from '../api/client';
import { useMe } from '../hooks/accounts';
import { useInvalidate } from '../hooks/invalidate';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorAlert } from './error-alert';
import { type Column, PaginatedTable } from './paginated-table';
import { dateTime } from '../format';

type Transfer = Schemas['TransferView'];
/** Which side of a move the viewer looks from: the organization's Org Admins, or the team's Admins. */
export type TransferSide = 'organization' | 'team';

const STATUS_WORDS: Record<Transfer['status'], string> = {
  pending: 'Pending',
  completed: 'Moved',
  declined: 'Declined',
};

const WAITING_WORDS: Record<Transfer['waitingFor'][number], string> = {
  team: 'an Admin of the team',
  another_team_admin: 'a second Admin of the team',
  organization: 'an Org Admin',
};

/**
 * Whether the viewer may still approve: the side that asked (or already approved) only waits, and a shared team's
 * second approval must come from another Admin than the one who asked.
 */
function awaits(transfer: Transfer, side: TransferSide, viewerId: string | undefined): boolean {
  if (side === 'organization') return transfer.waitingFor.includes('organization');
  if (transfer.waitingFor.includes('team')) return true;
  return transfer.waitingFor.includes('another_team_admin') && transfer.requestedByUserId !== viewerId;
}

/**
 * Requests to move a team into an organization, with Approve and Decline for the pending ones. The organization's
 * side sees no team name until the team's side has asked or approved (the API withholds it). `manage: false`
 * (a role that may not answer) leaves the actions out.
 */
export function TransfersTable(props: {
  transfers: readonly Transfer[];
  side: TransferSide;
  manage?: boolean;
}) {
  const columns: Column<Transfer>[] = [
    props.side === 'organization'
      ? { header: 'Team', cell: (transfer) => transfer.teamName ?? <Text c="dimmed">Not yet answered</Text> }
      : { header: 'Organization', cell: (transfer) => transfer.organizationName },
    {
      header: 'Asked by',
      cell: (transfer) => (transfer.requestedBy === 'team' ? 'The team' : 'The organization'),
    },
    { header: 'Status', cell: (transfer) => STATUS_WORDS[transfer.status] },
    {
      header: 'Waiting for',
      cell: (transfer) =>
        transfer.status === 'pending'
          ? transfer.waitingFor.map((side) => WAITING_WORDS[side]).join(', ')
          : '—',
    },
    { header: 'Asked', cell: (transfer) => dateTime(transfer.createdAt) },
  ];
  if (props.manage !== false)
    columns.push({
      header: 'Actions',
      cell: (transfer) =>
        transfer.status === 'pending' ? <TransferActions transfer={transfer} side={props.side} /> : null,
    });
  return (
    <PaginatedTable
      caption="Moves into an organization"
      rows={props.transfers}
      columns={columns}
      rowKey={(transfer) => transfer.id}
    />
  );
}

function TransferActions(props: { transfer: Transfer; side: TransferSide }) {
  const { transfer } = props;
  const viewerId = useMe().data?.id;
  const invalidate = useInvalidate();
  const [declining, { open, close }] = useDisclosure();
  const settle = () =>
    invalidate(
      '/v1/orgs/{orgId}/transfers',
      '/v1/teams/{id}/transfers',
      '/v1/orgs/{orgId}/teams',
      '/v1/me/accounts',
    );
  const approve = $api.useMutation('post', '/v1/orgs/{orgId}/transfers/{transferId}/approve', {
    onSuccess: settle,
  });
  const decline = $api.useMutation('post', '/v1/orgs/{orgId}/transfers/{transferId}/decline', {
    onSuccess: async () => {
      await settle();
      close();
    },
  });
  const path = { orgId: transfer.organizationId, transferId: transfer.id };
  const team = transfer.teamName ?? 'this team';
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="nowrap">
        {awaits(transfer, props.side, viewerId) && (
          <Button
            size="xs"
            loading={approve.isPending}
            onClick={() => approve.mutate({ params: { path } })}
            aria-label={`Approve moving ${team} into ${transfer.organizationName}`}
          >
            Approve
          </Button>
        )}
        <Button
          size="xs"
          variant="default"
          onClick={open}
          aria-label={`Decline moving ${team} into ${transfer.organizationName}`}
        >
          Decline
        </Button>
      </Group>
      <ErrorAlert error={approve.error} />
      <ConfirmDialog
        opened={declining}
        onClose={close}
        title="Decline this move"
        confirmLabel="Decline"
        pending={decline.isPending}
        error={decline.error}
        onConfirm={() => decline.mutate({ params: { path } })}
      >
        {`${team} stays where it is. Either side can ask again later.`}
      </ConfirmDialog>
    </Stack>
  );
}
