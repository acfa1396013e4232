import { $api, type Schemas } from '../../../api/client';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useInvalidate } from '../../../hooks/invalidate';

/** Confirms removing a connection: nobody signs in through it any more. */
export function DeleteConnectionDialog(props: {
  orgId: string;
  connection: Schemas['SsoConnectionView'] | undefined;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const remove = $api.useMutation('delete', '/v1/orgs/{orgId}/sso/connections/{connectionId}', {
    onSuccess: async () => {
      await invalidate('/v1/orgs/{orgId}/sso/connections');
      close();
    },
  });
  const { connection } = props;
  const close = () => {
    remove.reset();
    props.onClose();
  };
  return (
    <ConfirmDialog
      opened={connection !== undefined}
      onClose={close}
      title="Delete the connection?"
      confirmLabel="Delete connection"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() =>
        connection && remove.mutate({ params: { path: { orgId: props.orgId, connectionId: connection.id } } })
      }
    >
      {`Nobody will sign in through “${connection?.name ?? ''}” any more. People it signed in keep their accounts and teams.`}
    </ConfirmDialog>
  );
}
