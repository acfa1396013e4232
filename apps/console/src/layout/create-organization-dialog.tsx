import { useNavigate } from 'react-router';
import { $api } from '../api/client';
import { NameDialog } from '../components/name-dialog';
import { useInvalidate } from '../hooks/invalidate';

/** "Create organization": anyone signed in may; they become its first Org Admin, and the console switches to it. */
export function CreateOrganizationDialog(props: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const create = $api.useMutation('post', '/v1/orgs', {
    onSuccess: async (organization) => {
      await invalidate('/v1/me/accounts');
      close();
      navigate(`/o/${organization.id}/teams`);
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
      title="Create organization"
      label="Organization name"
      description="An organization groups teams under one set of policies and single sign-on. You become its first Org Admin."
      submitLabel="Create organization"
      pending={create.isPending}
      error={create.error}
      onSubmit={(name) => create.mutate({ body: { name } })}
    />
  );
}
