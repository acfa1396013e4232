import { Paper, Stack, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { $api } from '../../api/client';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { useAccount } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';
import { PolicyForm } from './policy-form';
import { ALL_SETTINGS } from './policy-settings';
import { PolicyVersions } from './policy-versions';

/** The organization's policy, which every team of it inherits; only Org Admins reach this page at all. */
export function Component() {
  const orgId = useParams().orgId ?? '';
  const organization = useAccount(orgId);
  const path = { params: { path: { orgId } } };
  const policy = $api.useQuery('get', '/v1/orgs/{orgId}/policies', path);
  const invalidate = useInvalidate();
  const save = $api.useMutation('put', '/v1/orgs/{orgId}/policies', {
    onSuccess: () => invalidate('/v1/orgs/{orgId}/policies', '/v1/orgs/{orgId}/policies/versions'),
  });
  // An Org Admin may change it; the API says so again on every write.
  const readOnly = organization !== undefined && organization.role !== 'admin';

  return (
    <Page
      title="Policies"
      description={`Rules for every team of ${organization?.name ?? 'the organization'}. A team may only tighten them.`}
    >
      <QueryState query={policy} label="the policy" empty={null} isEmpty={() => false}>
        {({ own }) => (
          <PolicyForm
            key={own.version}
            settings={ALL_SETTINGS}
            saved={own.settings}
            readOnly={readOnly}
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
    </Page>
  );
}
