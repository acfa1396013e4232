import { Alert, Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { ROLE_LABELS } from '../../hooks/accounts';
import { ROLE_OPTIONS } from './team-words';
import { useInvalidate } from '../../hooks/invalidate';

/**
 * "Invite": one e-mail address and the role it joins with; the invitation is e-mailed at once. An address with a
 * pending invitation keeps the dialog open to say what happened to it (its role changed, or nothing was sent).
 */
export function InviteDialog(props: { teamId: string; opened: boolean; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Schemas['Role']>('developer');
  const invalidate = useInvalidate();
  const invite = $api.useMutation('post', '/v1/teams/{id}/invitations', {
    onSuccess: async (reply) => {
      await invalidate('/v1/teams/{id}/invitations');
      if (reply.result !== 'invited') return;
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
          {invite.data && invite.data.result !== 'invited' && <PendingNotice reply={invite.data} />}
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

/** What inviting an address that had a pending invitation did. */
function PendingNotice(props: { reply: Schemas['InviteReply'] }) {
  const { email, role, result } = props.reply;
  return result === 'role_updated' ? (
    <Alert color="blue" title="Role updated">
      The pending invitation of {email} is now for {ROLE_LABELS[role]}. A fresh link was sent; the earlier
      link no longer works.
    </Alert>
  ) : (
    <Alert color="gray" title="Already invited">
      {email} already has a pending invitation as {ROLE_LABELS[role]}; nothing was sent.
    </Alert>
  );
}
