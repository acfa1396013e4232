import { Paper, Stack, Title } from '@mantine/core';
import { $api } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { QueryState } from '../../components/query-state';
import { useInvalidate } from '../../hooks/invalidate';
import { PolicyForm } from './policy-form';
import { ALL_SETTINGS } from './policy-settings';
import { PolicyVersions } from './policy-versions';

/** The organization's policy, which every team of it inherits; changing it takes `org.manage`. */
export function Component() {
  return (
    <OrgPage
      title="Policies"
      description={(organization) =>
        `Rules for every team of ${organization.name}. A team may only tighten them.`
      }
    >
      {(_, access) => <OrgPolicy readOnly={!access.can('org.manage')} />}
    </OrgPage>
  );
}

function OrgPolicy(props: { readOnly: boolean }) {
  const orgId = useOrgId();
  const path = { params: { path: { orgId } } };
  const policy = $api.useQuery('get', '/v1/orgs/{orgId}/policies', path);
  const invalidate = useInvalidate();
  const save = $api.useMutation('put', '/v1/orgs/{orgId}/policies', {
    onSuccess: () => invalidate('/v1/orgs/{orgId}/policies', '/v1/orgs/{orgId}/policies/versions'),
  });

  return (
    <>
      <QueryState query={policy} label="the policy" empty={null} isEmpty={() => false}>
        {({ own }) => (
          <PolicyForm
            key={own.version}
            settings={ALL_SETTINGS}
            saved={own.settings}
            readOnly={props.readOnly}
            saving={save.isPending}
            error={save.error}
            savedVersion={save.data?.own.version}
            onSave={(settings) => save.mutate({ ...path, body: { settings, version: own.version } })}
          />
        )}
      </QueryState>
      <Paper withBorder p="md" component="section" aria-labelledby="policy-history">
        <Stack gap="sm">
          <Title order={2} size="h4" id="policy-history">
            Policy history
          </Title>
          <PolicyVersions orgId={orgId} />
        </Stack>
      </Paper>
    </>
  );
}
