import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { signOut } from '../../api/session';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { useInvalidate } from '../../hooks/invalidate';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { deviceName } from './device-name';
import { dateTime } from '../../format';

type Session = Schemas['MySession'];

/** Where this person is signed in (browsers and CLIs), with a way to end any one of them. */
export function ActiveSessions() {
  const sessions = $api.useQuery('get', '/v1/me/sessions');
  const [ending, setEnding] = useState<Session>();
  const invalidate = useInvalidate();
  const revoke = $api.useMutation('delete', '/v1/me/sessions/{id}', {
    onSuccess: async () => {
      await invalidate('/v1/me/sessions');
      setEnding(undefined);
    },
  });
  const confirm = (session: Session) => {
    // This browser's own session ends the way "Sign out" does, so the cookie goes too.
    if (session.current) return void signOut();
    revoke.mutate({ params: { path: { id: session.id } } });
  };
  const columns: Column<Session>[] = [
    {
      header: 'Device',
      cell: (session) => (
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" title={session.userAgent ?? undefined}>
            {deviceName(session.userAgent)}
          </Text>
          {session.current && (
            <Badge size="sm" variant="light">
              This device
            </Badge>
          )}
        </Group>
      ),
    },
    { header: 'IP address', cell: (session) => session.ip ?? '—' },
    { header: 'Last used', cell: (session) => dateTime(session.lastUsedAt) },
    {
      header: 'Actions',
      cell: (session) => (
        <Button
          size="xs"
          variant="light"
          color="red"
          aria-label={`Sign out this device: ${deviceName(session.userAgent)}${session.current ? ' (this device)' : ''}, last used ${dateTime(session.lastUsedAt)}`}
          onClick={() => {
            revoke.reset();
            setEnding(session);
          }}
        >
          Sign out this device
        </Button>
      ),
    },
  ];

  return (
    <Stack gap="sm" component="section" aria-labelledby="active-sessions">
      <Title order={2} size="h4" id="active-sessions">
        Active sessions
      </Title>
      <Text size="sm" c="dimmed">
        Browsers and command lines signed in as you. Signing one out stops it within a second.
      </Text>
      <QueryState query={sessions} label="sessions" empty="No active sessions.">
        {(rows) => (
          <PaginatedTable
            caption="Active sessions"
            rows={rows}
            columns={columns}
            rowKey={(session) => session.id}
          />
        )}
      </QueryState>
      <ConfirmDialog
        opened={ending !== undefined}
        title="Sign out this device?"
        confirmLabel="Sign out"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => ending && confirm(ending)}
        onClose={() => setEnding(undefined)}
      >
        {ending?.current
          ? 'This is the browser you are using: you will be signed out here.'
          : `${deviceName(ending?.userAgent ?? null)} will be signed out and must sign in again.`}
      </ConfirmDialog>
    </Stack>
  );
}
