import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../../api/client';
import { ErrorAlert } from '../../../components/error-alert';
import { SsoTestResult, type TestStarted, useLastSsoTest } from './sso-test-result';

/**
 * Step four: "Test connection" signs in at the IdP in a new tab, without signing anyone in here. The tab is
 * opened during the click (a tab opened after the API answers would be blocked as a pop-up) and sent to the
 * IdP once the test URL arrives; the link stays for a blocked or closed tab. What the IdP sent shows here, in
 * the console, once the test sign-in comes back; before any test, the last one does.
 */
export function TestStep(props: {
  orgId: string;
  connection: Schemas['SsoConnectionView'];
  onNext: () => void;
}) {
  const test = $api.useMutation('post', '/v1/orgs/{orgId}/sso/connections/{connectionId}/test');
  // The test before this one, so the result waits for a newer one (see TestStarted).
  const previous = useLastSsoTest(props.orgId, props.connection.id);
  const [started, setStarted] = useState<TestStarted & { attempt: number }>();

  function start() {
    const previousTestedAt = previous.data?.lastTest?.testedAt ?? null;
    const tab = window.open('', '_blank');
    test.mutate(
      { params: { path: { orgId: props.orgId, connectionId: props.connection.id } } },
      {
        onSuccess: ({ testUrl }) => {
          setStarted((current) => ({ previousTestedAt, attempt: (current?.attempt ?? 0) + 1 }));
          if (!tab) return;
          // The IdP's page gets no handle on the console.
          tab.opener = null;
          tab.location.href = testUrl;
        },
        onError: () => tab?.close(),
      },
    );
  }

  return (
    <Stack gap="md">
      <Text size="sm">
        Sign in at the identity provider as one of the people who will use it: the test shows what the IdP
        sends and where that person would land. It works before the connection is enabled.
      </Text>
      <Group>
        <Button onClick={start} loading={test.isPending || previous.isPending}>
          Test connection
        </Button>
        {test.data && (
          <Anchor href={test.data.testUrl} target="_blank" rel="noopener noreferrer">
            Open the test sign-in again (valid ten minutes)
          </Anchor>
        )}
      </Group>
      <ErrorAlert error={test.error} />
      <SsoTestResult
        key={started?.attempt ?? 0}
        orgId={props.orgId}
        connectionId={props.connection.id}
        started={started}
      />
      <Group>
        <Button variant="light" onClick={props.onNext}>
          Next: enable
        </Button>
      </Group>
    </Stack>
  );
}
