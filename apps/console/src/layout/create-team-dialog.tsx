import { useNavigate } from 'react-router';
import { $api } from '../api/client';
import { NameDialog } from '../components/name-dialog';
import { useInvalidate } from '../hooks/invalidate';

/** "Create Team": asks for a name, creates the team, and switches to it. */
export function CreateTeamDialog(props: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const create = $api.useMutation('post', '/v1/teams', {
    onSuccess: async (team) => {
      await invalidate('/v1/me/accounts');
      close();
      navigate(`/a/${team.id}/members`);
    },
  });
  const close = () => {
    create.reset();
    props.onClose();
  };
  return (
    <NameDialog
      opened={props.opened}
      onClose={close}
      title="Create Team"
      label="Team name"
      description="Teams share API keys, secrets and usage. You can rename it later."
      submitLabel="Create Team"
      pending={create.isPending}
      error={create.error}
      onSubmit={(name) => create.mutate({ body: { name } })}
    />
  );
}
