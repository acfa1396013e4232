import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';

/** "Revoke", confirmed: a revoked key is gone for good, and everything using it stops within a second. */
export function RevokeKeyDialog(props: {
  accountId: string;
  keyView: Schemas['KeyView'] | undefined;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const revoke = $api.useMutation('delete', '/v1/accounts/{accountId}/keys/{keyId}', {
    onSuccess: async () => {
      await invalidate('/v1/accounts/{accountId}/keys');
      close();
    },
  });
  const close = () => {
    revoke.reset();
    props.onClose();
  };
  const key = props.keyView;
  return (
    <Modal opened={key !== undefined} onClose={close} title={`Revoke key “${key?.name ?? ''}”?`}>
      <Stack>
        <Text size="sm">
          Everything that uses this key stops working within a second. This can’t be undone: you would create
          a new key and deploy its secret.
        </Text>
        <ErrorAlert error={revoke.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() =>
              key && revoke.mutate({ params: { path: { accountId: props.accountId, keyId: key.id } } })
            }
          >
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
