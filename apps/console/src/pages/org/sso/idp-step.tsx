import {
  Button,
  FileInput,
  Group,
  List,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../../api/client';
import { ErrorAlert } from '../../../components/error-alert';
import { useInvalidate } from '../../../hooks/invalidate';
import { type AttributeMapping, IDP_PRESETS, type PresetId, presetOf } from './idp-presets';

type Connection = Schemas['SsoConnectionView'];
type Source = 'metadata' | 'fields';

/** Attribute names left empty are left out, so Tessera tries its defaults for them. */
function givenNames(mapping: AttributeMapping): AttributeMapping {
  return Object.fromEntries(Object.entries(mapping).filter(([, value]) => value?.trim()));
}

/**
 * Step one: which IdP, and its side of the trust — its metadata XML (uploaded or pasted) or its entity id,
 * sign-on URL and certificate typed in. A preset fills in the attribute names that IdP sends and shows where its
 * settings are. Creating the connection is what gives Tessera's own URLs, so it happens here; it stays off
 * until the last step.
 */
export function IdpStep(props: {
  orgId: string;
  connection: Connection | undefined;
  presetId: PresetId;
  onPresetChange: (id: PresetId) => void;
  onSaved: (connection: Connection) => void;
}) {
  const { connection, presetId } = props;
  const [name, setName] = useState(connection?.name ?? presetOf(presetId).label);
  const [source, setSource] = useState<Source>(connection ? 'fields' : 'metadata');
  const [metadataXml, setMetadataXml] = useState('');
  const [idpEntityId, setIdpEntityId] = useState(connection?.identityProvider.entityId ?? '');
  const [idpSsoUrl, setIdpSsoUrl] = useState(connection?.identityProvider.ssoUrl ?? '');
  const [certificate, setCertificate] = useState('');
  const [mapping, setMapping] = useState<AttributeMapping>(
    connection
      ? { email: '', name: '', groups: '', ...connection.attributeMapping }
      : presetOf(presetId).attributeMapping,
  );
  const [fileError, setFileError] = useState<string>();
  const create = $api.useMutation('post', '/v1/orgs/{orgId}/sso/connections');
  const update = $api.useMutation('patch', '/v1/orgs/{orgId}/sso/connections/{connectionId}');
  const invalidate = useInvalidate();
  const preset = presetOf(presetId);

  function choosePreset(id: PresetId) {
    // The name follows the preset until the admin types one of their own.
    if (name === preset.label) setName(presetOf(id).label);
    props.onPresetChange(id);
    setMapping(presetOf(id).attributeMapping);
  }

  async function readFile(file: File | null) {
    setFileError(undefined);
    if (!file) return;
    try {
      setMetadataXml(await file.text());
    } catch {
      setFileError('The file could not be read.');
    }
  }

  function save() {
    const idp =
      source === 'metadata'
        ? metadataXml.trim()
          ? { metadataXml }
          : {}
        : {
            idpEntityId,
            idpSsoUrl,
            // On an edit, no certificate typed in keeps the ones the connection has.
            ...(certificate.trim() ? { idpCertificates: [certificate] } : {}),
          };
    const body = { name, ...idp, attributeMapping: givenNames(mapping) };
    const saved = async (result: Connection) => {
      await invalidate('/v1/orgs/{orgId}/sso/connections');
      props.onSaved(result);
    };
    if (connection)
      update.mutate(
        { params: { path: { orgId: props.orgId, connectionId: connection.id } }, body },
        { onSuccess: saved },
      );
    // Tested before anyone can sign in through it: the admin enables it in the last step.
    else
      create.mutate(
        { params: { path: { orgId: props.orgId } }, body: { ...body, enabled: false } },
        { onSuccess: saved },
      );
  }

  const saving = create.isPending || update.isPending;
  return (
    <Stack gap="md">
      <Radio.Group
        label="Identity provider"
        value={presetId}
        onChange={(value) => choosePreset(value as PresetId)}
      >
        <Group gap="lg" mt="xs">
          {IDP_PRESETS.map((option) => (
            <Radio key={option.id} value={option.id} label={option.label} />
          ))}
        </Group>
      </Radio.Group>
      <Stack gap={4}>
        <Title order={3} size="h5">
          In {preset.label}
        </Title>
        <Text size="sm">{preset.setup}</Text>
        <Text size="sm">Its metadata: {preset.metadata}</Text>
        <List size="sm" spacing={2}>
          {preset.notes.map((note) => (
            <List.Item key={note}>{note}</List.Item>
          ))}
        </List>
        <Text size="sm" c="dimmed">
          If {preset.label} asks for Tessera’s URLs before it gives its metadata, enter placeholders there:
          the real values are in the next step.
        </Text>
      </Stack>
      <TextInput
        label="Connection name"
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
      />
      <Radio.Group
        label="The identity provider’s details"
        value={source}
        onChange={(value) => setSource(value as Source)}
      >
        <Group gap="lg" mt="xs">
          <Radio value="metadata" label="Metadata XML" />
          <Radio value="fields" label="Enter the fields" />
        </Group>
      </Radio.Group>
      {source === 'metadata' ? (
        <Stack gap="sm">
          <FileInput
            label="IdP metadata file"
            description={connection ? 'Leave empty to keep the current identity provider.' : undefined}
            accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
            placeholder="Choose an .xml file"
            onChange={readFile}
            error={fileError}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the metadata file' }}
          />
          <Textarea
            label="IdP metadata XML"
            description="Filled from the file, or paste it here."
            value={metadataXml}
            onChange={(event) => setMetadataXml(event.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={10}
            styles={{ input: { fontFamily: 'ui-monospace, monospace', fontSize: 12 } }}
          />
        </Stack>
      ) : (
        <Stack gap="sm">
          <TextInput
            label="IdP single sign-on URL"
            value={idpSsoUrl}
            onChange={(event) => setIdpSsoUrl(event.currentTarget.value)}
          />
          <TextInput
            label="IdP entity id"
            value={idpEntityId}
            onChange={(event) => setIdpEntityId(event.currentTarget.value)}
          />
          <Textarea
            label="IdP signing certificate (PEM)"
            description={
              connection
                ? `Now: ${connection.identityProvider.certificates.map((c) => c.subject).join(', ')}. Leave empty to keep it.`
                : undefined
            }
            value={certificate}
            onChange={(event) => setCertificate(event.currentTarget.value)}
            autosize
            minRows={3}
            styles={{ input: { fontFamily: 'ui-monospace, monospace', fontSize: 12 } }}
          />
        </Stack>
      )}
      <Stack gap={4}>
        <Title order={3} size="h5">
          Attributes {preset.label} sends
        </Title>
        <Text size="sm" c="dimmed">
          Empty: Tessera tries the usual names (for the name, first name + last name).
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(['email', 'name', 'groups'] as const).map((field) => (
          <TextInput
            key={field}
            label={{ email: 'E-mail attribute', name: 'Name attribute', groups: 'Groups attribute' }[field]}
            value={mapping[field] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setMapping((current) => ({ ...current, [field]: value }));
            }}
          />
        ))}
      </SimpleGrid>
      <ErrorAlert error={create.error ?? update.error} />
      <Group>
        <Button onClick={save} loading={saving}>
          {connection ? 'Save identity provider' : 'Create connection'}
        </Button>
      </Group>
    </Stack>
  );
}
