import { Button, Divider, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { signOut } from '../../api/session';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { useMe } from '../../hooks/accounts';
import { ActiveSessions } from './active-sessions';
import { SignInMethods } from './sign-in-methods';
import { date } from '../../format';

/** `/account`: the signed-in person, how they sign in, and where they are signed in. */
export function Component() {
  const me = useMe();
  return (
    <Page
      title="Your account"
      description="Your profile, the ways you sign in, and the devices signed in as you."
      actions={
        <Button variant="default" onClick={() => void signOut()}>
          Sign out
        </Button>
      }
    >
      <QueryState query={me} label="your profile" empty={null} isEmpty={() => false}>
        {(user) => (
          <Stack gap="xl">
            <Stack gap="sm" component="section" aria-labelledby="profile">
              <Title order={2} size="h4" id="profile">
                Profile
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0}>
                <ProfileField label="Name" value={user.name ?? '—'} />
                <ProfileField label="E-mail" value={user.email} />
                <ProfileField label="Member since" value={date(user.createdAt)} />
              </SimpleGrid>
            </Stack>
            <Divider />
            <SignInMethods identities={user.identities} />
            <Divider />
            <ActiveSessions />
          </Stack>
        )}
      </QueryState>
    </Page>
  );
}

function ProfileField(props: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {props.label}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
        {props.value}
      </Text>
    </div>
  );
}
