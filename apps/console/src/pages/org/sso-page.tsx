import { Alert, Button, Group, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { Page } from '../../components/page';
import { PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { useAccount } from '../../hooks/accounts';
import { DeleteConnectionDialog } from './sso/delete-connection-dialog';
import { ConnectionStatus } from './sso/enable-step';
import { SsoSetup } from './sso/sso-setup';

type Connection = Schemas['SsoConnectionView'];
/** Which connection the setup shows: a new one, an existing one, or none (the list only). */
type Editing = { connectionId: string | undefined } | undefined;

/** `/o/:orgId/sso`: the organization's SAML connections, and their step-by-step setup (Org Admins). */
export function Component() {
  const { orgId = '' } = useParams();
  const account = useAccount(orgId);
  const isOrgAdmin = account?.role === 'admin';
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<Connection>();

  return (
    <Page
      title="Single sign-on"
      description="Sign your organization's people in through its identity provider (SAML 2.0): Okta, Entra ID, Google Workspace or another."
      actions={
        isOrgAdmin &&
        !editing && (
          <Button onClick={() => setEditing({ connectionId: undefined })}>Set up single sign-on</Button>
        )
      }
    >
      {account && !isOrgAdmin ? (
        <Alert color="gray" title="Only Org Admins set up single sign-on">
          Ask one of the organization’s Org Admins.
        </Alert>
      ) : (
        <>
          {editing && (
            <SsoSetup
              key={editing.connectionId ?? 'new'}
              orgId={orgId}
              connectionId={editing.connectionId}
              onDone={() => setEditing(undefined)}
            />
          )}
          <Connections
            orgId={orgId}
            onEdit={(connection) => setEditing({ connectionId: connection.id })}
            onDelete={setDeleting}
          />
          <DeleteConnectionDialog
            orgId={orgId}
            connection={deleting}
            onClose={() => setDeleting(undefined)}
          />
        </>
      )}
    </Page>
  );
}

function Connections(props: {
  orgId: string;
  onEdit: (connection: Connection) => void;
  onDelete: (connection: Connection) => void;
}) {
  const connections = $api.useQuery('get', '/v1/orgs/{orgId}/sso/connections', {
    params: { path: { orgId: props.orgId } },
  });
  return (
    <QueryState
      query={connections}
      label="connections"
      empty="No connection yet: Set up single sign-on to add your identity provider."
    >
      {(rows) => (
        <PaginatedTable
          caption="Connections"
          rows={rows}
          rowKey={(connection) => connection.id}
          columns={[
            { header: 'Name', cell: (connection) => connection.name },
            { header: 'Status', cell: (connection) => <ConnectionStatus enabled={connection.enabled} /> },
            {
              header: 'Identity provider',
              cell: (connection) => (
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {connection.identityProvider.entityId}
                </Text>
              ),
            },
            {
              header: 'Teams',
              cell: (connection) =>
                `${connection.groupMappings.length} group${connection.groupMappings.length === 1 ? '' : 's'}` +
                (connection.defaultTeamId ? ', default team' : ''),
            },
            {
              header: 'Actions',
              cell: (connection) => (
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => props.onEdit(connection)}>
                    Edit<VisuallyHidden> {connection.name}</VisuallyHidden>
                  </Button>
                  <Button size="xs" variant="light" color="red" onClick={() => props.onDelete(connection)}>
                    Delete<VisuallyHidden> {connection.name}</VisuallyHidden>
                  </Button>
                </Group>
              ),
            },
          ]}
        />
      )}
    </QueryState>
  );
}
