import { NativeSelect, Stack } from '@mantine/core';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { ROLE_OPTIONS } from './team-words';
import { useInvalidate } from '../../hooks/invalidate';

type Member = Schemas['MemberView'];

/**
 * A member's role, changed as soon as another is chosen. The select always shows the role the API has, so a
 * refused change (`last_admin`) leaves it as it was, with the reason right below it.
 */
export function MemberRoleSelect(props: { teamId: string; member: Member; label: string }) {
  const invalidate = useInvalidate();
  const setRole = $api.useMutation('patch', '/v1/teams/{id}/members/{userId}', {
    // The caller may have changed their own role: what they may do changes with it.
    onSuccess: () => invalidate('/v1/teams/{id}/members', '/v1/teams/{id}/permissions', '/v1/me/accounts'),
  });
  return (
    <Stack gap={4} miw={200} maw={260}>
      <NativeSelect
        aria-label={props.label}
        data={ROLE_OPTIONS}
        // While the change is on its way, the select shows the role chosen rather than jumping back.
        value={setRole.isPending ? setRole.variables.body.role : props.member.role}
        disabled={setRole.isPending}
        onChange={(event) =>
          setRole.mutate({
            params: { path: { id: props.teamId, userId: props.member.userId } },
            body: { role: event.currentTarget.value as Schemas['Role'] },
          })
        }
      />
      <ErrorAlert error={setRole.error} />
    </Stack>
  );
}
