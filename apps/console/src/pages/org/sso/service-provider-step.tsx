import { Button, Group, Stack, Text } from '@mantine/core';
import type { Schemas } from '../../../api/client';
import { CopyValue } from '../../../components/copy-value';
import { type PresetId, presetOf } from './idp-presets';

/** Step two: Tessera's values for this connection, each under the name the chosen IdP gives its setting. */
export function ServiceProviderStep(props: {
  connection: Schemas['SsoConnectionView'];
  presetId: PresetId;
  onNext: () => void;
}) {
  const sp = props.connection.serviceProvider;
  const preset = presetOf(props.presetId);
  return (
    <Stack gap="md">
      <Text size="sm">
        Enter these in {preset.label}. An IdP that imports service-provider metadata can read the metadata URL
        instead.
      </Text>
      <CopyValue label="ACS URL" description={`${preset.label}: ${preset.acsUrl}`} value={sp.acsUrl} />
      <CopyValue
        label="Entity ID / audience"
        description={`${preset.label}: ${preset.entityId}`}
        value={sp.entityId}
      />
      <CopyValue label="Metadata URL" value={sp.metadataUrl} />
      <CopyValue
        label="Login URL"
        description={
          preset.loginUrl
            ? `${preset.label}: ${preset.loginUrl} (optional). Starts a sign-in from Tessera's side.`
            : "Optional: starts a sign-in from Tessera's side."
        }
        value={sp.loginUrl}
      />
      <Group>
        <Button onClick={props.onNext}>Next: teams</Button>
      </Group>
    </Stack>
  );
}
