import { useParams } from 'react-router';
import { $api } from '../../api/client';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { useAccount } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';
import { useTeamPermissions } from '../../hooks/permissions';
import { PolicyForm } from './policy-form';
import { TEAM_SETTINGS } from './policy-settings';

/** A team's own policy, under its organization's: inherited rules are locked, and the team may only tighten. */
export function Component() {
  const id = useParams().accountId ?? '';
  const team = useAccount(id);
  const permissions = useTeamPermissions(id);
  const path = { params: { path: { id } } };
  const policy = $api.useQuery('get', '/v1/teams/{id}/policies', path);
  // Only an Org Admin has the organization among their accounts; a team's members don't learn its name.
  const organization = useAccount(policy.data?.organization?.accountId);
  const invalidate = useInvalidate();
  const save = $api.useMutation('put', '/v1/teams/{id}/policies', {
    onSuccess: () => invalidate('/v1/teams/{id}/policies'),
  });
  const readOnly = !permissions.can('team.manage');

  return (
    <Page
      title="Policies"
      description={
        readOnly
          ? `The rules of ${team?.name ?? 'this team'}. Only its Admins can change them.`
          : `Rules for ${team?.name ?? 'this team'}'s keys, invitations and data.`
      }
    >
      <QueryState query={policy} label="the policy" empty={null} isEmpty={() => false}>
        {({ own, organization: inherited }) => (
          <PolicyForm
            key={own.version}
            settings={TEAM_SETTINGS}
            saved={own.settings}
            inherited={
              inherited
                ? { settings: inherited.settings, from: organization?.name ?? 'your organization' }
                : undefined
            }
            readOnly={readOnly}
            saving={save.isPending}
            error={save.error}
            savedVersion={save.data?.own.version}
            onSave={(settings) => save.mutate({ ...path, body: { settings, version: own.version } })}
          />
        )}
      </QueryState>
    </Page>
  );
}
