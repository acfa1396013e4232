import { $api, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useInvalidate } from '../../hooks/invalidate';
import { displayName } from './team-words';

/** "Remove": the member loses access to the team on their next request. */
export function RemoveMemberDialog(props: {
  teamId: string;
  member: Schemas['MemberView'] | undefined;
  onClose: () => void;
}) {
  const invalidate = useInvalidate();
  const remove = $api.useMutation('delete', '/v1/teams/{id}/members/{userId}', {
    onSuccess: async () => {
      await invalidate('/v1/teams/{id}/members');
      close();
    },
  });
  const close = () => {
    remove.reset();
    props.onClose();
  };
  const { member } = props;
  return (
    <ConfirmDialog
      opened={member !== undefined}
      onClose={close}
      title="Remove member"
      confirmLabel="Remove"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() =>
        member && remove.mutate({ params: { path: { id: props.teamId, userId: member.userId } } })
      }
    >
      {member
        ? `Remove ${displayName(member)} from the team? Their access ends at once; they can be invited again.`
        : ''}
    </ConfirmDialog>
  );
}
