import { ActionIcon, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../../api/client';
import { ErrorAlert } from '../../../components/error-alert';
import { QueryState } from '../../../components/query-state';
import { ROLE_LABELS } from '../../../hooks/accounts';
import { useInvalidate } from '../../../hooks/invalidate';

type Connection = Schemas['SsoConnectionView'];
type Role = Schemas['Role'];
type Team = Schemas['OrgTeamView'];

/** A row being edited: a key of its own, since group names may repeat or be empty while typed. */
interface Row {
  key: number;
  group: string;
  teamId: string | null;
  role: Role;
}

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
let nextKey = 0;
const row = (mapping?: Schemas['GroupMapping']): Row => ({
  key: (nextKey += 1),
  group: mapping?.group ?? '',
  teamId: mapping?.teamId ?? null,
  role: mapping?.role ?? 'developer',
});

/** Step three: which of the organization's teams each IdP group joins, and with which role; the default team. */
export function TeamMappingsStep(props: { orgId: string; connection: Connection; onSaved: () => void }) {
  const teams = $api.useQuery('get', '/v1/orgs/{orgId}/teams', { params: { path: { orgId: props.orgId } } });
  return (
    <QueryState
      query={teams}
      label="teams"
      empty="The organization has no teams yet: create one under Teams, then map groups to it."
    >
      {(data) => <MappingsForm {...props} teams={data} />}
    </QueryState>
  );
}

function MappingsForm(props: { orgId: string; connection: Connection; teams: Team[]; onSaved: () => void }) {
  const { connection } = props;
  const [rows, setRows] = useState<Row[]>(() =>
    connection.groupMappings.length ? connection.groupMappings.map(row) : [row()],
  );
  const [defaultTeamId, setDefaultTeamId] = useState(connection.defaultTeamId);
  const [defaultRole, setDefaultRole] = useState<Role>(connection.defaultRole ?? 'developer');
  const update = $api.useMutation('patch', '/v1/orgs/{orgId}/sso/connections/{connectionId}');
  const invalidate = useInvalidate();
  const teamOptions = props.teams.map((team) => ({ value: team.id, label: team.name }));

  const change = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((each) => (each.key === key ? { ...each, ...patch } : each)));

  function save() {
    // A row left wholly empty is not a mapping; a half-filled one is sent, so the API names what is missing.
    const groupMappings = rows
      .filter((each) => each.group.trim() || each.teamId)
      .map((each) => ({ group: each.group, teamId: each.teamId ?? '', role: each.role }));
    update.mutate(
      {
        params: { path: { orgId: props.orgId, connectionId: connection.id } },
        body: {
          groupMappings,
          defaultTeamId,
          defaultRole: defaultTeamId ? defaultRole : null,
        },
      },
      {
        onSuccess: async () => {
          await invalidate('/v1/orgs/{orgId}/sso/connections');
          props.onSaved();
        },
      },
    );
  }

  return (
    <Stack gap="md">
      <Text size="sm">
        At every sign-in, each group the IdP sends that is mapped here puts the person in its team with its
        role. Group names are exactly as the IdP sends them (Entra ID: the group’s Object ID).
      </Text>
      <Stack gap="sm">
        {rows.map((each, index) => (
          <Group key={each.key} align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={`Group ${index + 1}`}
              value={each.group}
              onChange={(event) => change(each.key, { group: event.currentTarget.value })}
              w={{ base: '100%', sm: 220 }}
            />
            <Select
              label={`Team for group ${index + 1}`}
              data={teamOptions}
              value={each.teamId}
              onChange={(value) => change(each.key, { teamId: value })}
              w={{ base: '100%', sm: 200 }}
            />
            <Select
              label={`Role for group ${index + 1}`}
              data={ROLE_OPTIONS}
              value={each.role}
              allowDeselect={false}
              onChange={(value) => value && change(each.key, { role: value as Role })}
              w={{ base: '100%', sm: 140 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              mb={4}
              aria-label={`Remove group ${index + 1}`}
              onClick={() => setRows((current) => current.filter((other) => other.key !== each.key))}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" onClick={() => setRows((current) => [...current, row()])}>
            Add group
          </Button>
        </Group>
      </Stack>
      <Stack gap={4}>
        <Title order={3} size="h5">
          Default team
        </Title>
        <Text size="sm" c="dimmed">
          Where people go when none of their groups is mapped. Without one, they are not let in.
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
        <Select
          label="Default team"
          placeholder="None"
          data={teamOptions}
          value={defaultTeamId}
          onChange={setDefaultTeamId}
          clearable
        />
        <Select
          label="Default role"
          data={ROLE_OPTIONS}
          value={defaultRole}
          allowDeselect={false}
          disabled={!defaultTeamId}
          onChange={(value) => value && setDefaultRole(value as Role)}
        />
      </SimpleGrid>
      <ErrorAlert error={update.error} />
      <Group>
        <Button onClick={save} loading={update.isPending}>
          Save team mappings
        </Button>
      </Group>
    </Stack>
  );
}
