import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import type { Account } from '../../hooks/accounts';
import { useGoToPersonalAccount } from './personal-account';

/**
 * "Archive team" (Admin): for good, so the dialog asks for the team's name typed exactly before it lets the
 * button do anything.
 */
export function ArchiveTeam(props: { team: Account }) {
  const [confirming, { open, close }] = useDisclosure();
  const [typed, setTyped] = useState('');
  const goToPersonalAccount = useGoToPersonalAccount();
  const archive = $api.useMutation('post', '/v1/teams/{id}/archive', { onSuccess: goToPersonalAccount });
  const cancel = () => {
    archive.reset();
    setTyped('');
    close();
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby="archive-team">
      <Title order={2} size="h4" id="archive-team">
        Archive team
      </Title>
      <Text size="sm">
        The team leaves every list and nobody can use it any more. Its data is kept. This cannot be undone
        here.
      </Text>
      <Group>
        <Button color="red" onClick={open}>
          Archive team
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirming}
        onClose={cancel}
        title="Archive team"
        confirmLabel="Archive team"
        pending={archive.isPending}
        error={archive.error}
        ready={typed === props.team.name}
        onConfirm={() => archive.mutate({ params: { path: { id: props.team.id } } })}
      >
        <TextInput
          label="Team name"
          description={`Type “${props.team.name}” to confirm.`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          data-autofocus
        />
      </ConfirmDialog>
    </Stack>
  );
}
