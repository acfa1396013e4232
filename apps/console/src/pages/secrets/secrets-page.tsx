import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { Page } from '../../components/page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { dateTime } from '../../format';
import { creatorName } from '../keys/key-creator';
import { DeleteSecretDialog } from './delete-secret-dialog';
import { useSecretAccess } from './secret-access';
import { SecretValueDialog } from './secret-value-dialog';

type Secret = Schemas['SecretListing'];

const DESCRIPTION =
  'Values your deployed apps need at run time — a database URL, a third party’s token — kept encrypted by ' +
  'Tessera. Apps read them with this account’s key or the login of the Admin or Developer who runs them; no ' +
  'one reads a value back here.';

/** `/a/:accountId/secrets`: the account's secrets by name, for the people who manage them (a team's Admins). */
export function Component() {
  const { accountId = '' } = useParams();
  const access = useSecretAccess(accountId);
  const [adding, { open, close }] = useDisclosure();

  return (
    <Page
      title="Secrets"
      description={DESCRIPTION}
      actions={access.manage && <Button onClick={open}>Add secret</Button>}
    >
      {access.error ? (
        <ErrorAlert error={access.error} />
      ) : access.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading secrets" role="status" />
        </Center>
      ) : access.manage ? (
        <SecretList accountId={accountId} adding={adding} onAdded={close} />
      ) : (
        <Alert color="gray" title="Your team’s secrets">
          Only an Admin of this team sees, adds, replaces and deletes its secrets. Apps read the values they
          need at run time, with the team’s key or the login of the Admin or Developer who runs them.
        </Alert>
      )}
    </Page>
  );
}

function SecretList(props: { accountId: string; adding: boolean; onAdded: () => void }) {
  const { accountId } = props;
  const secrets = $api.useQuery('get', '/v1/accounts/{accountId}/secrets', {
    params: { path: { accountId } },
  });
  // The secret last chosen stays named while its dialog fades out; the flags say whether a dialog is open.
  const [chosen, setChosen] = useState('');
  const [replacing, replace] = useDisclosure();
  const [deleting, remove] = useDisclosure();
  const choose = (name: string, dialog: { open: () => void }) => {
    setChosen(name);
    dialog.open();
  };
  const names = secrets.data?.map((secret) => secret.name) ?? [];

  const columns: Column<Secret>[] = [
    {
      header: 'Name',
      cell: (secret) => (
        <Text ff="monospace" fw={600} size="sm">
          {secret.name}
        </Text>
      ),
    },
    {
      header: 'Updated by',
      cell: (secret) => (
        <Stack gap={0}>
          <Text size="sm">{creatorName(secret.updatedBy)}</Text>
          {secret.createdAt !== secret.updatedAt && (
            <Text size="xs" c="dimmed">
              Added by {creatorName(secret.createdBy)}
            </Text>
          )}
        </Stack>
      ),
    },
    { header: 'Updated', cell: (secret) => dateTime(secret.updatedAt) },
    {
      header: 'Actions',
      cell: (secret) => (
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            onClick={() => choose(secret.name, replace)}
            aria-label={`Replace value of ${secret.name}`}
          >
            Replace value
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            onClick={() => choose(secret.name, remove)}
            aria-label={`Delete ${secret.name}`}
          >
            Delete
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <>
      <QueryState query={secrets} label="secrets" empty="No secrets yet. Add secret stores the first one.">
        {(rows) => (
          <PaginatedTable
            caption="Secrets"
            rows={rows}
            columns={columns}
            rowKey={(secret) => secret.name}
            searchText={(secret) => secret.name}
          />
        )}
      </QueryState>
      <SecretValueDialog
        accountId={accountId}
        opened={props.adding}
        onClose={props.onAdded}
        existingNames={names}
      />
      <SecretValueDialog
        accountId={accountId}
        opened={replacing}
        onClose={replace.close}
        replacing={chosen}
        existingNames={names}
      />
      <DeleteSecretDialog accountId={accountId} name={chosen} opened={deleting} onClose={remove.close} />
    </>
  );
}
