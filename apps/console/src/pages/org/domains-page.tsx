import { Stack } from '@mantine/core';
import { $api } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { QueryState } from '../../components/query-state';
import { AddDomainForm } from './add-domain-form';
import { DomainCard } from './domain-card';

/**
 * The organization's e-mail domains: each is claimed, proved by a DNS TXT record the organization publishes, and
 * then verified. Single sign-on discovery and enforcement go by the verified ones.
 */
export function Component() {
  return (
    <OrgPage
      title="Verified domains"
      description={() =>
        "Prove an e-mail domain is your organization's by publishing a DNS TXT record. Members with e-mails in a verified domain can be sent to your single sign-on."
      }
    >
      {(_, access) => <Domains manage={access.can('org.manage')} />}
    </OrgPage>
  );
}

/** The list, with Add domain, Verify and Remove for those who may manage the organization. */
function Domains(props: { manage: boolean }) {
  const orgId = useOrgId();
  const domains = $api.useQuery('get', '/v1/orgs/{orgId}/domains', { params: { path: { orgId } } });
  return (
    <>
      {props.manage && <AddDomainForm orgId={orgId} />}
      <QueryState
        query={domains}
        label="domains"
        empty={props.manage ? 'No domains yet: add one above.' : 'No domains yet.'}
      >
        {(list) => (
          <Stack gap="md">
            {list.map((domain) => (
              <DomainCard key={domain.id} domain={domain} manage={props.manage} />
            ))}
          </Stack>
        )}
      </QueryState>
    </>
  );
}
