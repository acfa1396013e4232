import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { $api, type Schemas } from '../api/client';
import { ErrorAlert } from './error-alert';
import { Page } from './page';

type Organization = Schemas['OrganizationView'];

/** What the caller's role may do in the organization (`org.read`, `org.manage`), from the API's answer. */
export interface OrgAccess {
  can: (action: string) => boolean;
}

const NO_ACCESS = new Error('Your role in this organization does not let you see its pages.');

/**
 * A page of an organization (`/o/:orgId/…`). The caller's permissions in it are read first: anyone with no role
 * in it gets the API's `not_found` and sees that refusal alone — no actions, no name, nothing of it. The page
 * hides or disables what `access.can('org.manage')` denies; the API still refuses it.
 */
export function OrgPage(props: {
  title: string;
  description?: (organization: Organization, access: OrgAccess) => ReactNode;
  actions?: (organization: Organization, access: OrgAccess) => ReactNode;
  children: (organization: Organization, access: OrgAccess) => ReactNode;
}) {
  const orgId = useOrgId();
  const permissions = $api.useQuery('get', '/v1/orgs/{orgId}/permissions', { params: { path: { orgId } } });
  const access: OrgAccess = { can: (action) => permissions.data?.actions[action] === true };
  const readable = access.can('org.read');
  const organization = $api.useQuery(
    'get',
    '/v1/orgs/{orgId}',
    { params: { path: { orgId } } },
    { enabled: readable },
  );
  const refusal = permissions.error ?? (permissions.data && !readable ? NO_ACCESS : organization.error);
  const data = refusal ? undefined : organization.data;
  return (
    <Page
      title={props.title}
      description={data && props.description?.(data, access)}
      actions={data && props.actions?.(data, access)}
    >
      {refusal ? (
        <ErrorAlert error={refusal} title="Organization not found, or you have no access to it" />
      ) : data ? (
        props.children(data, access)
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
