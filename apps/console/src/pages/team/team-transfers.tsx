import { Divider, Stack, Text, Title } from '@mantine/core';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { TransfersTable } from '../../components/transfers-table';

/**
 * "Moves into an organization" (Admin): the pending requests to move this team into an organization, so that the
 * team's own Admins — Org Admins or not — approve or decline them. Nothing pending, nothing shown.
 */
export function TeamTransfers(props: { teamId: string }) {
  const transfers = $api.useQuery('get', '/v1/teams/{id}/transfers', {
    params: { path: { id: props.teamId } },
  });
  const pending = (transfers.data ?? []).filter((transfer) => transfer.status === 'pending');
  if (transfers.error) return <ErrorAlert error={transfers.error} />;
  if (pending.length === 0) return null;
  return (
    <>
      <Divider />
      <Stack gap="xs" component="section" aria-labelledby="team-transfers">
        <Title order={2} size="h4" id="team-transfers">
          Moves into an organization
        </Title>
        <Text size="sm">
          Once both sides approve, the organization&apos;s Org Admins manage the team and its policy applies
          to it.
        </Text>
        <TransfersTable transfers={pending} side="team" />
      </Stack>
    </>
  );
}
