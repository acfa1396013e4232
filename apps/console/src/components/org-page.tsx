import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { $api, type Schemas } from '../api/client';
import { ErrorAlert } from './error-alert';
import { Page } from './page';

/**
 * A page of an organization (`/o/:orgId/…`). The organization itself is read first: only its Org Admins may, so
 * anyone else gets the API's `not_found` and sees that refusal alone — no actions, no name, nothing of it.
 */
export function OrgPage(props: {
  title: string;
  description?: (organization: Schemas['OrganizationView']) => ReactNode;
  actions?: (organization: Schemas['OrganizationView']) => ReactNode;
  children: (organization: Schemas['OrganizationView']) => ReactNode;
}) {
  const orgId = useOrgId();
  const organization = $api.useQuery('get', '/v1/orgs/{orgId}', { params: { path: { orgId } } });
  const data = organization.data;
  return (
    <Page
      title={props.title}
      description={data && props.description?.(data)}
      actions={data && props.actions?.(data)}
    >
      {organization.error ? (
        <ErrorAlert error={organization.error} title="Organization not found, or you have no access to it" />
      ) : data ? (
        props.children(data)
      ) : (
        <Center py="xl">
          <Loader aria-label="Loading the organization" role="status" />
        </Center>
      )}
    </Page>
  );
}

/** The organization id of the page's URL. */
export function useOrgId(): string {
  return useParams().orgId ?? '';
}
