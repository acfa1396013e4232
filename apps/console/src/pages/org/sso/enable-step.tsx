import { Alert, Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { $api, type Schemas } from '../../../api/client';
import { refusalOf } from '../../../api/errors';
import { ErrorAlert } from '../../../components/error-alert';
import { useInvalidate } from '../../../hooks/invalidate';

/** Step five: turning sign-in through the connection on (or off). Only an organization with a verified domain may. */
export function EnableStep(props: { orgId: string; connection: Schemas['SsoConnectionView'] }) {
  const { connection } = props;
  const update = $api.useMutation('patch', '/v1/orgs/{orgId}/sso/connections/{connectionId}');
  const invalidate = useInvalidate();
  const needsDomain = refusalOf(update.error)?.code === 'domain_not_verified';

  function setEnabled(enabled: boolean) {
    update.mutate(
      { params: { path: { orgId: props.orgId, connectionId: connection.id } }, body: { enabled } },
      { onSuccess: () => invalidate('/v1/orgs/{orgId}/sso/connections') },
    );
  }

  return (
    <Stack gap="md">
      <Group gap="sm">
        <Text size="sm">Status:</Text>
        <ConnectionStatus enabled={connection.enabled} />
      </Group>
      <Text size="sm">
        Enabled, it signs in people whose e-mail is in one of the organization’s verified domains: through its
        login URL, and by work e-mail under “Continue with SSO” on the sign-in page.
      </Text>
      {needsDomain ? (
        <Alert color="red" role="alert" title="A verified domain is needed first">
          {update.error && refusalOf(update.error)?.message}{' '}
          <Anchor component={Link} to={`/o/${props.orgId}/domains`} c="inherit" fw={600} underline="always">
            Go to Verified domains
          </Anchor>
        </Alert>
      ) : (
        <ErrorAlert error={update.error} />
      )}
      <Group>
        {connection.enabled ? (
          <Button color="red" variant="light" onClick={() => setEnabled(false)} loading={update.isPending}>
            Turn off single sign-on
          </Button>
        ) : (
          <Button onClick={() => setEnabled(true)} loading={update.isPending}>
            Enable single sign-on
          </Button>
        )}
      </Group>
    </Stack>
  );
}

export function ConnectionStatus(props: { enabled: boolean }) {
  return props.enabled ? <Badge color="teal.9">Enabled</Badge> : <Badge color="gray.7">Off</Badge>;
}
