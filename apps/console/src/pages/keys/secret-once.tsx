import { Alert, Button, Group, Stack } from '@mantine/core';
import { CopyValue } from '../../components/copy-value';

/** A new key's secret, in the one reply that carries it: copy it now, it is never shown again. */
export function SecretOnce(props: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      {/* Red, not yellow: Mantine's yellow title on its light background is below AA contrast. */}
      <Alert color="red" title="Copy the secret now">
        This secret won’t be shown again. Store it where your application reads it (a secret manager, an
        environment variable); Tessera keeps only a fingerprint of it.
      </Alert>
      <CopyValue label="Secret" value={props.secret} />
      <Group justify="flex-end">
        <Button onClick={props.onDone} data-autofocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
