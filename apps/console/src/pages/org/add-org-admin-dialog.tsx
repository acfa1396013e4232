import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';

/**
 * "Add Org Admin": the API takes a user id, and only someone already in one of the organization's teams can
 * become one — so the choice is among its members, found by name or e-mail.
 */
export function AddOrgAdminDialog(props: {
  orgId: string;
  adminIds: ReadonlySet<string>;
  opened: boolean;
  onClose: () => void;
}) {
  const [userId, setUserId] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const members = $api.useQuery(
    'get',
    '/v1/orgs/{orgId}/members',
    { params: { path: { orgId: props.orgId } } },
    { enabled: props.opened },
  );
  const candidates = useMemo(() => {
    const people = new Map<string, string>();
    for (const member of members.data ?? []) {
      if (props.adminIds.has(member.userId)) continue;
      const label = member.name && member.email ? `${member.name} (${member.email})` : member.email;
      people.set(member.userId, label ?? member.name ?? member.userId);
    }
    return [...people].map(([value, label]) => ({ value, label }));
  }, [members.data, props.adminIds]);
  const add = $api.useMutation('post', '/v1/orgs/{orgId}/admins', {
    onSuccess: async () => {
      await invalidate('/v1/orgs/{orgId}/admins');
      close();
    },
  });
  const close = () => {
    setUserId(null);
    add.reset();
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title="Add Org Admin">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (userId) add.mutate({ params: { path: { orgId: props.orgId } }, body: { userId } });
        }}
      >
        <Stack>
          <Text size="sm">
            An Org Admin manages the organization and acts as Admin in every team of it. Only members of its
            teams can become one.
          </Text>
          <Select
            label="Person"
            placeholder="Search by name or e-mail"
            data={candidates}
            value={userId}
            onChange={setUserId}
            searchable
            required
            nothingFoundMessage="No member of the organization's teams matches"
            data-autofocus
          />
          <ErrorAlert error={members.error ?? add.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending} disabled={!userId}>
              Add Org Admin
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
