import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { $api } from '../api/client';
import { ErrorAlert } from '../components/error-alert';
import { useInvalidate } from '../hooks/invalidate';

/** "Create Team": asks for a name, creates the team, and switches to it. */
export function CreateTeamDialog(props: { opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const create = $api.useMutation('post', '/v1/teams', {
    onSuccess: async (team) => {
      await invalidate('/v1/me/accounts');
      props.onClose();
      setName('');
      create.reset();
      navigate(`/a/${team.id}/members`);
    },
  });

  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Create Team">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ body: { name: name.trim() } });
        }}
      >
        <Stack>
          <TextInput
            label="Team name"
            description="Teams share API keys, secrets, apps and billing. You can rename it later."
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            required
            data-autofocus
            maxLength={100}
          />
          <ErrorAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create Team
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
