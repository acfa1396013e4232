import { Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';
import { SecretOnce } from './secret-once';

/** The API's longest grace: a week. */
const MAX_GRACE_HOURS = 168;

/**
 * "Rotate": a new secret for the same key, the previous one still working for a grace period so deployments can
 * switch without an outage. The new secret is shown once; closing forgets it.
 */
export function RotateKeyDialog(props: {
  accountId: string;
  keyView: Schemas['KeyView'] | undefined;
  onClose: () => void;
}) {
  const [hours, setHours] = useState<number>(1);
  const [minutes, setMinutes] = useState<number>(0);
  const invalidate = useInvalidate();
  const rotate = $api.useMutation('post', '/v1/accounts/{accountId}/keys/{keyId}/rotate', {
    gcTime: 0,
    onSuccess: () => invalidate('/v1/accounts/{accountId}/keys'),
  });
  const graceSeconds = Math.min(hours * 3600 + minutes * 60, MAX_GRACE_HOURS * 3600);

  const close = () => {
    rotate.reset();
    setHours(1);
    setMinutes(0);
    props.onClose();
  };

  const key = props.keyView;
  return (
    <Modal
      opened={key !== undefined}
      onClose={close}
      title={rotate.data ? 'The new secret' : `Rotate key “${key?.name ?? ''}”`}
    >
      {rotate.data ? (
        <SecretOnce secret={rotate.data.secret} onDone={close} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!key) return;
            rotate.mutate({
              params: { path: { accountId: props.accountId, keyId: key.id } },
              body: { graceSeconds },
            });
          }}
        >
          <Stack>
            <Text size="sm">
              The key gets a new secret. The current secret keeps working for the grace period, so you can
              switch your deployments over; then it stops. A grace of zero stops it at once.
            </Text>
            <Group grow align="flex-start">
              <NumberInput
                label="Grace hours"
                value={hours}
                onChange={(value) => setHours(Number(value) || 0)}
                min={0}
                max={MAX_GRACE_HOURS}
                allowDecimal={false}
                data-autofocus
              />
              <NumberInput
                label="Grace minutes"
                value={minutes}
                onChange={(value) => setMinutes(Number(value) || 0)}
                min={0}
                max={59}
                allowDecimal={false}
              />
            </Group>
            <Text size="sm" c="dimmed">
              At most a week ({MAX_GRACE_HOURS} hours).
            </Text>
            <ErrorAlert error={rotate.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                Rotate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
