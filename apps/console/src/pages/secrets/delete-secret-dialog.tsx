import { $api } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useInvalidate } from '../../hooks/invalidate';

/** "Delete", confirmed: the value is gone for good, and apps find the name missing from their next read. */
export function DeleteSecretDialog(props: {
  accountId: string;
  name: string;
  opened: boolean;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const remove = $api.useMutation('delete', '/v1/accounts/{accountId}/secrets/{name}', {
    onSuccess: async () => {
      await invalidate('/v1/accounts/{accountId}/secrets');
      close();
    },
    // A refusal may mean the list is out of date (deleted meanwhile elsewhere): read it again behind the dialog.
    onError: () => invalidate('/v1/accounts/{accountId}/secrets'),
  });
  const close = () => {
    remove.reset();
    props.onClose();
  };
  const { name } = props;
  return (
    <ConfirmDialog
      opened={props.opened}
      onClose={close}
      title={`Delete secret ${name}?`}
      confirmLabel="Delete"
      onConfirm={() => remove.mutate({ params: { path: { accountId: props.accountId, name } } })}
      pending={remove.isPending}
      error={remove.error}
    >
      Apps that read this secret find it missing from their next read. Its value can’t be recovered.
    </ConfirmDialog>
  );
}
