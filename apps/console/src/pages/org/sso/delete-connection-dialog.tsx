import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { $api, type Schemas } from '../../../api/client';
import { ErrorAlert } from '../../../components/error-alert';
import { useInvalidate } from '../../../hooks/invalidate';

/** Confirms removing a connection: nobody signs in through it any more. */
export function DeleteConnectionDialog(props: {
  orgId: string;
  connection: Schemas['SsoConnectionView'] | undefined;
  onClose: () => void;
}) {
  const remove = $api.useMutation('delete', '/v1/orgs/{orgId}/sso/connections/{connectionId}');
  const invalidate = useInvalidate();
  const { connection } = props;
  const close = () => {
    remove.reset();
    props.onClose();
  };
  return (
    <Modal opened={connection !== undefined} onClose={close} title="Delete the connection?">
      {connection && (
        <Stack gap="md">
          <Text size="sm">
            Nobody will sign in through “{connection.name}” any more. People it signed in keep their accounts
            and teams.
          </Text>
          <ErrorAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(
                  { params: { path: { orgId: props.orgId, connectionId: connection.id } } },
                  {
                    onSuccess: async () => {
                      await invalidate('/v1/orgs/{orgId}/sso/connections');
                      close();
                    },
                  },
                )
              }
            >
              Delete connection
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
