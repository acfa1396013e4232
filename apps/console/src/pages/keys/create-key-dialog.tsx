import { Button, Group, Modal, Radio, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';
import { SecretOnce } from './secret-once';

type Scope = Schemas['KeyScope'];

/** The scopes in plain words, after the API's table of resource actions by scope. */
const SCOPES: { value: Scope; label: string; description: string }[] = [
  {
    value: 'API',
    label: 'API',
    description: 'Call models and deployed endpoints. For applications that only use what the team runs.',
  },
  {
    value: 'ADMIN',
    label: 'ADMIN',
    description:
      'Everything an API key does, and also deploy, run and manage apps and workloads on the services that ask ' +
      'Tessera, and use the platform’s admin APIs, such as reading this account’s usage. Keys never manage keys ' +
      'or members.',
  },
];

/** The end of the chosen day, in the person's own time zone: a key "expiring on" a day works through that day. */
function endOfDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day + 1).toISOString();
}

function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/**
 * "Create key": name, scope and an optional expiry, then the secret, once. Closing the dialog forgets the secret
 * (the mutation is reset and not kept in the cache).
 */
export function CreateKeyDialog(props: { accountId: string; opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('API');
  const [expiresOn, setExpiresOn] = useState('');
  const invalidate = useInvalidate();
  const create = $api.useMutation('post', '/v1/accounts/{accountId}/keys', {
    gcTime: 0,
    onSuccess: () => invalidate('/v1/accounts/{accountId}/keys'),
  });

  const close = () => {
    create.reset();
    setName('');
    setScope('API');
    setExpiresOn('');
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title={create.data ? 'Your new key' : 'Create key'}>
      {create.data ? (
        <SecretOnce secret={create.data.secret} onDone={close} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({
              params: { path: { accountId: props.accountId } },
              body: { name: name.trim(), scope, expiresAt: expiresOn ? endOfDay(expiresOn) : null },
            });
          }}
        >
          <Stack>
            <TextInput
              label="Name"
              description="What uses this key, e.g. production or the nightly job."
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              data-autofocus
              maxLength={100}
            />
            <Radio.Group label="Scope" value={scope} onChange={(value) => setScope(value as Scope)} required>
              <Stack gap="sm" mt="xs">
                {SCOPES.map((option) => (
                  <Radio
                    key={option.value}
                    value={option.value}
                    label={option.label}
                    description={option.description}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              type="date"
              label="Expires on (optional)"
              description="The key stops working at the end of this day. Leave empty for a key that never expires."
              value={expiresOn}
              min={today()}
              onChange={(event) => setExpiresOn(event.currentTarget.value)}
            />
            <ErrorAlert error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
