import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useAccounts } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';

/**
 * "Move a team in": asks to move a team the person administers, and that belongs to no organization, into this
 * one. The other side approves (and a second Admin of a team that has several); someone who is the only Admin of
 * the team and an Org Admin moves it at once.
 */
export function MoveTeamInDialog(props: { orgId: string; opened: boolean; onClose: () => void }) {
  const [teamId, setTeamId] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const standalone = (useAccounts().data ?? []).filter(
    (account) => account.kind === 'team' && account.role === 'admin' && !account.organizationId,
  );
  const request = $api.useMutation('post', '/v1/orgs/{orgId}/transfers', {
    onSuccess: async () => {
      await invalidate('/v1/orgs/{orgId}/transfers', '/v1/orgs/{orgId}/teams', '/v1/me/accounts');
      close();
    },
  });
  const close = () => {
    setTeamId(null);
    request.reset();
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title="Move a team in">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (teamId) request.mutate({ params: { path: { orgId: props.orgId } }, body: { teamId } });
        }}
      >
        <Stack>
          {standalone.length === 0 ? (
            <Text>You are not an Admin of any team outside an organization.</Text>
          ) : (
            <Select
              label="Team"
              description="Teams you administer that belong to no organization. Once moved, the organization's policies apply to it and its Org Admins can act in it."
              data={standalone.map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={setTeamId}
              required
              searchable
              data-autofocus
            />
          )}
          <ErrorAlert error={request.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={request.isPending} disabled={!teamId}>
              Ask to move it
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
