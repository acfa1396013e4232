import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { Page } from '../../components/page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import type { Account } from '../../hooks/accounts';
import { CreateKeyDialog } from './create-key-dialog';
import { useKeyAccess } from './key-access';
import { creatorName } from './key-creator';
import { RevokeKeyDialog } from './revoke-key-dialog';
import { RotateKeyDialog } from './rotate-key-dialog';
import { dateTime } from '../../format';

type Key = Schemas['KeyListing'];

const DESCRIPTION =
  'Applications call Tessera with an API key of this account. A key belongs to the account, not to the person ' +
  'who made it, and keeps working when they leave.';

/** `/a/:accountId/keys`: the account's API keys; who may see or manage them is the role table's say. */
export function Component() {
  const { accountId = '' } = useParams();
  const access = useKeyAccess(accountId);
  const [creating, { open, close }] = useDisclosure();

  return (
    <Page
      title="API Keys"
      description={DESCRIPTION}
      actions={access.manage && <Button onClick={open}>Create key</Button>}
    >
      {access.error ? (
        <ErrorAlert error={access.error} />
      ) : access.isPending || !access.account ? (
        <Center py="xl">
          <Loader aria-label="Loading API keys" role="status" />
        </Center>
      ) : access.read ? (
        <KeyList account={access.account} manage={access.manage} />
      ) : (
        <KeyCount accountId={accountId} />
      )}
      {access.manage && <CreateKeyDialog accountId={accountId} opened={creating} onClose={close} />}
    </Page>
  );
}

/** A role that may not read the keys (a Developer) still learns how many there are, and whom to ask. */
function KeyCount(props: { accountId: string }) {
  const count = $api.useQuery('get', '/v1/accounts/{accountId}/keys/count', {
    params: { path: { accountId: props.accountId } },
  });
  return (
    <Alert color="gray" title="Your team’s keys">
      {count.error ? (
        <ErrorAlert error={count.error} />
      ) : count.data ? (
        `This team has ${count.data.count} ${count.data.count === 1 ? 'API key' : 'API keys'}. `
      ) : null}
      An Admin of this team creates and manages them.
    </Alert>
  );
}

function KeyList(props: { account: Account; manage: boolean }) {
  const accountId = props.account.id;
  const keys = $api.useQuery('get', '/v1/accounts/{accountId}/keys', {
    params: { path: { accountId } },
  });
  const [revoking, setRevoking] = useState<Key>();
  const [rotating, setRotating] = useState<Key>();

  const columns: Column<Key>[] = [
    { header: 'Name', cell: (key) => <Text fw={600}>{key.name}</Text> },
    {
      header: 'Key',
      cell: (key) => (
        <Text ff="monospace" size="sm">
          {key.prefix}…{key.last4}
        </Text>
      ),
    },
    {
      header: 'Scope',
      cell: (key) => (
        <Text size="sm" fw={600} c={key.scope === 'ADMIN' ? 'grape.9' : 'blue.9'}>
          {key.scope}
        </Text>
      ),
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
    {
      header: 'Last used',
      cell: (key) => (key.lastUsedAt ? dateTime(key.lastUsedAt) : 'Never'),
    },
    { header: 'Expires', cell: (key) => <Expiry keyView={key} /> },
  ];
  if (props.manage)
    columns.push({
      header: 'Actions',
      cell: (key) => (
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            onClick={() => setRotating(key)}
            aria-label={`Rotate ${key.name}`}
          >
            Rotate
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            onClick={() => setRevoking(key)}
            aria-label={`Revoke ${key.name}`}
          >
            Revoke
          </Button>
        </Group>
      ),
    });

  return (
    <>
      <QueryState
        query={keys}
        label="API keys"
        empty={
          props.manage ? 'No keys yet. Create key makes the first one.' : 'This account has no keys yet.'
        }
      >
        {(rows) => (
          <PaginatedTable
            caption="API keys"
            searchLabel="Search API keys"
            rows={rows}
            columns={columns}
            rowKey={(key) => key.id}
            searchText={(key) => `${key.name} ${key.prefix} ${key.last4}`}
          />
        )}
      </QueryState>
      <RevokeKeyDialog accountId={accountId} keyView={revoking} onClose={() => setRevoking(undefined)} />
      <RotateKeyDialog accountId={accountId} keyView={rotating} onClose={() => setRotating(undefined)} />
    </>
  );
}

/** When the key stops, and during a rotation when its previous secret does. */
function Expiry(props: { keyView: Key }) {
  const { expiresAt, previousSecretValidUntil } = props.keyView;
  return (
    <Stack gap={0}>
      <Text size="sm">{expiresAt ? dateTime(expiresAt) : 'Never'}</Text>
      {previousSecretValidUntil && new Date(previousSecretValidUntil) > new Date() && (
        <Text size="xs" c="dimmed">
          Previous secret works until {dateTime(previousSecretValidUntil)}
        </Text>
      )}
    </Stack>
  );
}
