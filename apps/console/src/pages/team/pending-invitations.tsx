import { Button, Group, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { $api, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { ROLE_LABELS } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';
import { dateTime } from '../../format';

type Invitation = Schemas['InvitationView'];

const searchText = (invitation: Invitation) => invitation.email;
const rowKey = (invitation: Invitation) => invitation.id;

/** Invitations not accepted yet (Admin): each can be sent again with a fresh link, or cancelled. */
export function PendingInvitations(props: { teamId: string }) {
  const invitations = $api.useQuery('get', '/v1/teams/{id}/invitations', {
    params: { path: { id: props.teamId } },
  });
  const columns: Column<Invitation>[] = [
    { header: 'E-mail', cell: (invitation) => invitation.email },
    { header: 'Role', cell: (invitation) => ROLE_LABELS[invitation.role] },
    { header: 'Sent', cell: (invitation) => dateTime(invitation.createdAt) },
    { header: 'Expires', cell: (invitation) => dateTime(invitation.expiresAt) },
    {
      header: 'Actions',
      cell: (invitation) => <InvitationActions teamId={props.teamId} invitation={invitation} />,
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-labelledby="pending-invitations">
      <Title order={2} size="h4" id="pending-invitations">
        Pending invitations
      </Title>
      <QueryState query={invitations} label="pending invitations" empty="No invitation is waiting.">
        {(rows) => (
          <PaginatedTable
            caption="Pending invitations"
            rows={rows}
            columns={columns}
            rowKey={rowKey}
            searchText={searchText}
          />
        )}
      </QueryState>
    </Stack>
  );
}

function InvitationActions(props: { teamId: string; invitation: Invitation }) {
  const [confirming, { open, close }] = useDisclosure();
  const invalidate = useInvalidate();
  const path = { id: props.teamId, invitationId: props.invitation.id };
  const resend = $api.useMutation('post', '/v1/teams/{id}/invitations/{invitationId}/resend', {
    onSuccess: () => invalidate('/v1/teams/{id}/invitations'),
  });
  const cancel = $api.useMutation('delete', '/v1/teams/{id}/invitations/{invitationId}', {
    onSuccess: async () => {
      await invalidate('/v1/teams/{id}/invitations');
      close();
    },
  });
  const { email } = props.invitation;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <Button
          size="xs"
          variant="light"
          aria-label={`Resend the invitation to ${email}`}
          loading={resend.isPending}
          onClick={() => resend.mutate({ params: { path } })}
        >
          Resend
        </Button>
        <Button
          size="xs"
          variant="light"
          color="red"
          aria-label={`Cancel the invitation to ${email}`}
          onClick={open}
        >
          Cancel
        </Button>
      </Group>
      <ErrorAlert error={resend.error} />
      <ConfirmDialog
        opened={confirming}
        onClose={close}
        title="Cancel invitation"
        confirmLabel="Cancel invitation"
        pending={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate({ params: { path } })}
      >
        {`Cancel the invitation to ${email}? The link in their e-mail stops working.`}
      </ConfirmDialog>
    </Stack>
  );
}
