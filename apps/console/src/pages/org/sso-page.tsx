import { Button, Group, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { OrgPage, useOrgId } from '../../components/org-page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { DeleteConnectionDialog } from './sso/delete-connection-dialog';
import { ConnectionStatus } from './sso/enable-step';
import { SsoSetup } from './sso/sso-setup';

type Connection = Schemas['SsoConnectionView'];
/** Which connection the setup shows: a new one, an existing one, or none (the list only). */
type Editing = { connectionId: string | undefined } | undefined;

/** `/o/:orgId/sso`: the organization's SAML connections, and (`org.manage`) their step-by-step setup. */
export function Component() {
  const orgId = useOrgId();
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<Connection>();

  return (
    <OrgPage
      title="Single sign-on"
      description={() =>
        "Sign your organization's people in through its identity provider (SAML 2.0): Okta, Entra ID, Google Workspace or another."
      }
      actions={(_, access) =>
        access.can('org.manage') &&
        !editing && (
          <Button onClick={() => setEditing({ connectionId: undefined })}>Set up single sign-on</Button>
        )
      }
    >
      {(_, access) =>
        access.can('org.manage') ? (
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
              manage={{
                onEdit: (connection) => setEditing({ connectionId: connection.id }),
                onDelete: setDeleting,
              }}
            />
            <DeleteConnectionDialog
              orgId={orgId}
              connection={deleting}
              onClose={() => setDeleting(undefined)}
            />
          </>
        ) : (
          <Connections orgId={orgId} />
        )
      }
    </OrgPage>
  );
}

/** Edit and Delete of each connection, for those who may manage the organization. */
interface ConnectionActions {
  onEdit: (connection: Connection) => void;
  onDelete: (connection: Connection) => void;
}

function Connections(props: { orgId: string; manage?: ConnectionActions }) {
  const { manage } = props;
  const connections = $api.useQuery('get', '/v1/orgs/{orgId}/sso/connections', {
    params: { path: { orgId: props.orgId } },
  });
  const columns: Column<Connection>[] = [
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
  ];
  if (manage)
    columns.push({
      header: 'Actions',
      cell: (connection) => (
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="light" onClick={() => manage.onEdit(connection)}>
            Edit<VisuallyHidden> {connection.name}</VisuallyHidden>
          </Button>
          <Button size="xs" variant="light" color="red" onClick={() => manage.onDelete(connection)}>
            Delete<VisuallyHidden> {connection.name}</VisuallyHidden>
          </Button>
        </Group>
      ),
    });
  return (
    <QueryState
      query={connections}
      label="connections"
      empty={
        manage
          ? 'No connection yet: Set up single sign-on to add your identity provider.'
          : 'No connection yet.'
      }
    >
      {(rows) => (
        <PaginatedTable
          caption="Connections"
          rows={rows}
          rowKey={(connection) => connection.id}
          columns={columns}
        />
      )}
    </QueryState>
  );
}
