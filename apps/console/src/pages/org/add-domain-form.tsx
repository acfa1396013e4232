import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';

/** Claims a domain; the list then shows the TXT record to publish for it. */
export function AddDomainForm(props: { orgId: string }) {
  const [domain, setDomain] = useState('');
  const invalidate = useInvalidate();
  const add = $api.useMutation('post', '/v1/orgs/{orgId}/domains', {
    onSuccess: async () => {
      await invalidate('/v1/orgs/{orgId}/domains');
      setDomain('');
    },
  });

  return (
    <form
      aria-label="Add a domain"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ params: { path: { orgId: props.orgId } }, body: { domain: domain.trim() } });
      }}
    >
      <Stack gap="xs">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="Domain"
            description="The part of your members' e-mails after the @, e.g. acme.com."
            placeholder="acme.com"
            value={domain}
            onChange={(event) => setDomain(event.currentTarget.value)}
            required
            maxLength={253}
            style={{ flex: '1 1 240px' }}
            maw={420}
          />
          <Button type="submit" loading={add.isPending}>
            Add domain
          </Button>
        </Group>
        <ErrorAlert error={add.error} />
      </Stack>
    </form>
  );
}
