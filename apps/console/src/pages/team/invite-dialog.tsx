import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { ROLE_OPTIONS } from './team-words';
import { useInvalidate } from '../../hooks/invalidate';

/** "Invite": one e-mail address and the role it joins with; the invitation is e-mailed at once. */
export function InviteDialog(props: { teamId: string; opened: boolean; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Schemas['Role']>('developer');
  const invalidate = useInvalidate();
  const invite = $api.useMutation('post', '/v1/teams/{id}/invitations', {
    onSuccess: async () => {
      await invalidate('/v1/teams/{id}/invitations');
      close();
      setEmail('');
    },
  });
  const close = () => {
    invite.reset();
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title="Invite">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate({ params: { path: { id: props.teamId } }, body: { email: email.trim(), role } });
        }}
      >
        <Stack>
          <TextInput
            label="E-mail"
            type="email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            required
            data-autofocus
          />
          <NativeSelect
            label="Role"
            data={ROLE_OPTIONS}
            value={role}
            onChange={(event) => setRole(event.currentTarget.value as Schemas['Role'])}
          />
          <ErrorAlert error={invite.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
