import { Badge, Code, Stack, Text } from '@mantine/core';
import { $api, type Schemas } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { creatorName } from '../keys/key-creator';
import { dateTime } from '../../format';

type OrgKey = Schemas['OrgKeyView'];

const never = (value: string | null, words: string) => (value ? dateTime(value) : words);

const columns: Column<OrgKey>[] = [
  { header: 'Team', cell: (key) => key.teamName },
  { header: 'Name', cell: (key) => key.name },
  { header: 'Key', cell: (key) => <Code>{`${key.prefix}…${key.last4}`}</Code> },
  {
    header: 'Scope',
    cell: (key) => <Badge variant="default">{key.scope}</Badge>,
  },
  {
    header: 'Created by',
    cell: (key) => (
      <Stack gap={0}>
        <Text size="sm">{creatorName(key.createdBy)}</Text>
        <Text size="xs" c="dimmed">
          {dateTime(key.createdAt)}
        </Text>
      </Stack>
    ),
  },
  { header: 'Last used', cell: (key) => never(key.lastUsedAt, 'Never') },
  { header: 'Expires', cell: (key) => never(key.expiresAt, 'Never') },
];

/** Every team's API keys, read-only: each team manages its own keys on its API Keys page. */
export function Component() {
  const orgId = useOrgId();
  return (
    <OrgPage
      title="API Keys"
      description={(organization) =>
        `The API keys of every team of ${organization.name}: names and prefixes only, never secrets.`
      }
    >
      {() => <OrgKeys orgId={orgId} />}
    </OrgPage>
  );
}

function OrgKeys(props: { orgId: string }) {
  const keys = $api.useQuery('get', '/v1/orgs/{orgId}/keys', { params: { path: { orgId: props.orgId } } });
  return (
    <QueryState query={keys} label="API keys" empty="No team of this organization has an API key.">
      {(rows) => (
        <PaginatedTable
          caption="API Keys"
          searchLabel="Search API keys"
          rows={rows}
          columns={columns}
          rowKey={(key) => key.id}
          searchText={(key) =>
            `${key.teamName} ${key.name} ${key.prefix} ${key.scope} ${creatorName(key.createdBy)}`
          }
        />
      )}
    </QueryState>
  );
}
