import { $api } from '../../api/client';
import { NameDialog } from '../../components/name-dialog';
import { useInvalidate } from '../../hooks/invalidate';

/** "Create Team" inside the organization: the Org Admin who creates it becomes its first Admin. */
export function CreateOrgTeamDialog(props: { orgId: string; opened: boolean; onClose: () => void }) {
  const invalidate = useInvalidate();
  const create = $api.useMutation('post', '/v1/orgs/{orgId}/teams', {
    onSuccess: async () => {
      await invalidate('/v1/orgs/{orgId}/teams', '/v1/me/accounts');
      close();
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
      description="The team is part of this organization from the start and follows its policies."
      submitLabel="Create Team"
      pending={create.isPending}
      error={create.error}
      onSubmit={(name) => create.mutate({ params: { path: { orgId: props.orgId } }, body: { name } })}
    />
  );
}
