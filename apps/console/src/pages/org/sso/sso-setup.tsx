import { Button, Group, Paper, Stepper, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { $api } from '../../../api/client';
import { EnableStep } from './enable-step';
import { IdpStep } from './idp-step';
import { type PresetId, presetNamed } from './idp-presets';
import { ServiceProviderStep } from './service-provider-step';
import { TeamMappingsStep } from './team-mappings-step';
import { TestStep } from './test-step';

/**
 * Setting up (or editing) one connection, step by step. The IdP's side comes first because creating the connection
 * is what gives it Tessera's URLs; every later step changes the saved connection, so the admin may stop anywhere
 * and come back through Edit.
 */
export function SsoSetup(props: { orgId: string; connectionId: string | undefined; onDone: () => void }) {
  const [connectionId, setConnectionId] = useState(props.connectionId);
  const [active, setActive] = useState(0);
  // Five steps side by side need a wide screen; a phone lists them one under the other.
  const wide = useMediaQuery('(min-width: 62em)');
  const connections = $api.useQuery('get', '/v1/orgs/{orgId}/sso/connections', {
    params: { path: { orgId: props.orgId } },
  });
  const connection = connections.data?.find((candidate) => candidate.id === connectionId);
  const [presetId, setPresetId] = useState<PresetId>(presetNamed(connection?.name));
  // Until the connection exists, only its first step can be reached.
  const reachable = connection ? 4 : 0;
  if (connectionId && !connection) return null;

  return (
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }} radius="md">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h3">
          {connection ? `Connection “${connection.name}”` : 'Set up single sign-on'}
        </Title>
        <Button variant="subtle" onClick={props.onDone}>
          Close
        </Button>
      </Group>
      <Stepper
        active={active}
        onStepClick={(step) => step <= reachable && setActive(step)}
        orientation={wide ? 'horizontal' : 'vertical'}
        size="sm"
      >
        <Stepper.Step label="Identity provider">
          <IdpStep
            orgId={props.orgId}
            connection={connection}
            presetId={presetId}
            onPresetChange={setPresetId}
            onSaved={(saved) => {
              setConnectionId(saved.id);
              setActive(1);
            }}
          />
        </Stepper.Step>
        <Stepper.Step
          label="Tessera’s values"

          allowStepSelect={reachable >= 1}
        >
          {connection && (
            <ServiceProviderStep connection={connection} presetId={presetId} onNext={() => setActive(2)} />
          )}
        </Stepper.Step>
        <Stepper.Step label="Teams" allowStepSelect={reachable >= 2}>
          {connection && (
            <TeamMappingsStep orgId={props.orgId} connection={connection} onSaved={() => setActive(3)} />
          )}
        </Stepper.Step>
        <Stepper.Step
          label="Test connection"

          allowStepSelect={reachable >= 3}
        >
          {connection && <TestStep orgId={props.orgId} connection={connection} onNext={() => setActive(4)} />}
        </Stepper.Step>
        <Stepper.Step label="Enable" allowStepSelect={reachable >= 4}>
          {connection && <EnableStep orgId={props.orgId} connection={connection} />}
        </Stepper.Step>
      </Stepper>
    </Paper>
  );
}
