import { Alert, List, Loader, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { $api, type Schemas } from '../../../api/client';
import { ErrorAlert } from '../../../components/error-alert';
import { ROLE_LABELS } from '../../../hooks/accounts';
import { dateTime } from '../../../format';

type LastTest = NonNullable<Schemas['SsoConnectionTest']['lastTest']>;

/**
 * A test the admin started, marked by the last test known at that moment. The answer is the test that differs:
 * `testedAt` is dated by the server's clock, so comparing it with the browser's clock would break on any skew.
 */
export interface TestStarted {
  previousTestedAt: string | null;
}

const POLL_MS = 2_000;
/** The test URL is valid ten minutes; an admin who got no answer in five has most likely given up on that tab. */
const GIVE_UP_MS = 5 * 60_000;

/** The last test of a connection, read once (or, with `poll`, every two seconds while `poll` says so). */
export function useLastSsoTest(
  orgId: string,
  connectionId: string,
  poll?: (data: LastTest | null) => boolean,
) {
  return $api.useQuery(
    'get',
    '/v1/orgs/{orgId}/sso/connections/{connectionId}/test',
    { params: { path: { orgId, connectionId } } },
    {
      refetchInterval: (query) => (poll && poll(query.state.data?.lastTest ?? null) ? POLL_MS : false),
      // The admin is in the IdP's tab while this waits; the answer should be there when they come back.
      refetchIntervalInBackground: true,
    },
  );
}

/**
 * What the last test sign-in brought back, shown in the console: the attributes the IdP sent and the teams the
 * person would join. After `started`, it waits for that test's answer (and says so), up to five minutes.
 * Remount it (a new `key`) for each test started, so the five minutes start again.
 */
export function SsoTestResult(props: {
  orgId: string;
  connectionId: string;
  started: TestStarted | undefined;
}) {
  const { started } = props;
  const [gaveUp, setGaveUp] = useState(false);
  const isAnswer = (lastTest: LastTest | null) =>
    !started || (lastTest !== null && lastTest.testedAt !== started.previousTestedAt);
  const query = useLastSsoTest(props.orgId, props.connectionId, (lastTest) => !gaveUp && !isAnswer(lastTest));

  useEffect(() => {
    if (!started) return;
    const timer = setTimeout(() => setGaveUp(true), GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [started]);

  if (query.error) return <ErrorAlert error={query.error} />;
  if (query.isPending) return <Loader size="sm" aria-label="Loading the last test" role="status" />;
  const { lastTest } = query.data;
  // Announced when it changes: the answer arrives while the admin may be looking at the other tab.
  return <div aria-live="polite">{content()}</div>;

  function content() {
    if (!isAnswer(lastTest)) {
      return gaveUp ? (
        <Alert color="yellow" title="No answer yet — try again">
          No test sign-in came back in five minutes. Select Test connection to start a new one. If the
          identity provider’s answer was refused, the other tab says why.
        </Alert>
      ) : (
        <Alert color="blue" title="Waiting for the test sign-in" icon={<Loader size="xs" aria-hidden />}>
          Sign in at the identity provider in the new tab: what it sends will show here. Nobody is signed in
          or added to a team by a test.
        </Alert>
      );
    }
    if (!lastTest) return <Text size="sm">Not tested yet.</Text>;
    return <LastTestView lastTest={lastTest} />;
  }
}

function LastTestView({ lastTest }: { lastTest: LastTest }) {
  const { profile, teams } = lastTest;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Last test: {dateTime(lastTest.testedAt)}
      </Title>
      <TeamsWouldJoin teams={teams} />
      <ScrollArea type="auto">
        <Table withTableBorder verticalSpacing="xs" layout="fixed" miw={300} captionSide="top">
          <Table.Caption>What the identity provider sent</Table.Caption>
          <Table.Tbody>
            <Fact name="E-mail">{profile.email}</Fact>
            <Fact name="Name">{profile.name ?? '(none)'}</Fact>
            <Fact name="NameID">
              {profile.nameId}
              {profile.nameIdFormat && (
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {profile.nameIdFormat}
                </Text>
              )}
            </Fact>
            <Fact name="Groups">{profile.groups.length ? profile.groups.join(', ') : '(none)'}</Fact>
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <AttributesTable attributes={profile.attributes} />
    </Stack>
  );
}

function TeamsWouldJoin({ teams }: { teams: LastTest['teams'] }) {
  if (teams.length === 0)
    return (
      <Alert color="red" title="No team: this person would be refused">
        None of their groups is mapped and there is no default team. Map one of their groups in Teams.
      </Alert>
    );
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Would join
      </Text>
      <List size="sm" aria-label="Teams this person would join">
        {teams.map((team) => (
          <List.Item key={team.teamId}>
            {team.teamName ?? `A team no longer in the organization (${team.teamId})`} —{' '}
            {ROLE_LABELS[team.role]}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

function Fact(props: { name: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={110}>
        {props.name}
      </Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{props.children}</Table.Td>
    </Table.Tr>
  );
}

/** Every attribute as sent, under its own name: what the attribute names of step one may be set to. */
function AttributesTable({ attributes }: { attributes: Record<string, string[]> }) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return null;
  return (
    <ScrollArea type="auto">
      <Table withTableBorder verticalSpacing="xs" layout="fixed" miw={300} captionSide="top">
        <Table.Caption>Every attribute received</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Attribute</Table.Th>
            <Table.Th scope="col">Values</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map(([name, values]) => (
            <Table.Tr key={name}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm" ff="monospace">
                  {name}
                </Text>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{values.join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
