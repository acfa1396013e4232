import { Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { $api } from '../../api/client';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { AddDomainForm } from './add-domain-form';
import { DomainCard } from './domain-card';

/**
 * The organization's e-mail domains: each is claimed, proved by a DNS TXT record the organization publishes, and
 * then verified. Single sign-on discovery and enforcement go by the verified ones.
 */
export function Component() {
  const orgId = useParams().orgId ?? '';
  const domains = $api.useQuery('get', '/v1/orgs/{orgId}/domains', { params: { path: { orgId } } });

  return (
    <Page
      title="Verified domains"
      description="Prove an e-mail domain is your organization's by publishing a DNS TXT record. Members with e-mails in a verified domain can be sent to your single sign-on."
    >
      <AddDomainForm orgId={orgId} />
      <QueryState query={domains} label="domains" empty="No domains yet: add one above.">
        {(list) => (
          <Stack gap="md">
            {list.map((domain) => (
              <DomainCard key={domain.id} domain={domain} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Page>
  );
}
