import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { $api } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import type { Account } from '../../hooks/accounts';
import { useGoToPersonalAccount } from './personal-account';

/** "Leave team", for any member; the last Admin is refused (`last_admin`), and told so in the dialog. */
export function LeaveTeam(props: { team: Account }) {
  const [confirming, { open, close }] = useDisclosure();
  const goToPersonalAccount = useGoToPersonalAccount();
  const leave = $api.useMutation('delete', '/v1/teams/{id}/members/me', {
    onSuccess: goToPersonalAccount,
  });
  const cancel = () => {
    leave.reset();
    close();
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby="leave-team">
      <Title order={2} size="h4" id="leave-team">
        Leave team
      </Title>
      <Text size="sm">You lose access to the team's keys and resources. An Admin can invite you again.</Text>
      <Group>
        <Button variant="light" color="red" onClick={open}>
          Leave team
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirming}
        onClose={cancel}
        title="Leave team"
        confirmLabel="Leave team"
        pending={leave.isPending}
        error={leave.error}
        onConfirm={() => leave.mutate({ params: { path: { id: props.team.id } } })}
      >
        {`Leave ${props.team.name}? You lose access to it at once.`}
      </ConfirmDialog>
    </Stack>
  );
}
