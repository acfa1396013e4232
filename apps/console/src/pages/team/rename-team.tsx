import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import type { Account } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';

/** The team's name: an Admin renames it; everyone else reads it. */
export function RenameTeam(props: { team: Account; canRename: boolean }) {
  const [name, setName] = useState(props.team.name);
  const [saved, setSaved] = useState(false);
  const invalidate = useInvalidate();
  const rename = $api.useMutation('patch', '/v1/teams/{id}', {
    onSuccess: async () => {
      await invalidate('/v1/me/accounts', '/v1/teams/{id}');
      setSaved(true);
    },
  });
  if (!props.canRename) return <TextInput label="Team name" value={props.team.name} readOnly maw={420} />;
  const changed = name.trim() !== props.team.name;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        rename.mutate({ params: { path: { id: props.team.id } }, body: { name: name.trim() } });
      }}
    >
      <Stack gap="xs" maw={420}>
        <TextInput
          label="Team name"
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setSaved(false);
          }}
          required
          maxLength={100}
        />
        <ErrorAlert error={rename.error} />
        <Group>
          <Button type="submit" loading={rename.isPending} disabled={!changed}>
            Rename
          </Button>
          {saved && (
            <Text size="sm" role="status">
              Renamed.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
