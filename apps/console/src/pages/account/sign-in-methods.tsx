import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { useInvalidate } from '../../hooks/invalidate';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { dateTime } from '../../format';

type Identity = Schemas['LinkedIdentity'];

const PROVIDERS: Record<string, string> = { github: 'GitHub', google: 'Google' };

/** A linked method as people know it; an organization's SSO is linked as `saml:<connection>`. */
export function providerName(provider: string): string {
  return PROVIDERS[provider] ?? (provider.startsWith('saml:') ? 'Single sign-on' : provider);
}

/** A full navigation: linking goes through the provider's own pages and comes back here. */
function linkUrl(provider: string): string {
  return `/auth/${provider}?${new URLSearchParams({ link: '1', return_to: '/account' })}`;
}

/** The sign-in methods linked to this person, Link for the ones that are not, Unlink for each. */
export function SignInMethods(props: { identities: Identity[] }) {
  const [unlinking, setUnlinking] = useState<Identity>();
  const invalidate = useInvalidate();
  const unlink = $api.useMutation('delete', '/v1/me/identities/{provider}', {
    onSuccess: async () => {
      await invalidate('/v1/me');
      setUnlinking(undefined);
    },
  });
  // Only what this installation offers can be linked (`GET /auth/providers`, as on the sign-in page).
  const offered = $api.useQuery('get', '/auth/providers').data ?? [];
  const linkable = offered.filter(
    (method) => !props.identities.some((identity) => identity.provider === method.provider),
  );
  const columns: Column<Identity>[] = [
    { header: 'Provider', cell: (identity) => providerName(identity.provider) },
    { header: 'E-mail', cell: (identity) => identity.email ?? '—' },
    { header: 'Linked', cell: (identity) => dateTime(identity.linkedAt) },
    {
      header: 'Actions',
      cell: (identity) => (
        <Button
          size="xs"
          variant="light"
          color="red"
          onClick={() => {
            unlink.reset();
            setUnlinking(identity);
          }}
        >
          Unlink {providerName(identity.provider)}
        </Button>
      ),
    },
  ];

  return (
    <Stack gap="sm" component="section" aria-labelledby="sign-in-methods">
      <Title order={2} size="h4" id="sign-in-methods">
        Sign-in methods
      </Title>
      <Text size="sm" c="dimmed">
        Any of these signs you in to this account. Keep at least one.
      </Text>
      <PaginatedTable
        caption="Sign-in methods"
        rows={props.identities}
        columns={columns}
        rowKey={(identity) => identity.provider}
      />
      {linkable.length > 0 && (
        <Group gap="sm">
          {linkable.map((method) => (
            <Button key={method.provider} component="a" href={linkUrl(method.provider)} variant="default">
              Link {method.label}
            </Button>
          ))}
        </Group>
      )}
      <ConfirmDialog
        opened={unlinking !== undefined}
        title={`Unlink ${providerName(unlinking?.provider ?? '')}?`}
        confirmLabel="Unlink"
        pending={unlink.isPending}
        error={unlink.error}
        onConfirm={() => unlinking && unlink.mutate({ params: { path: { provider: unlinking.provider } } })}
        onClose={() => setUnlinking(undefined)}
      >
        {`You will no longer be able to sign in with ${providerName(unlinking?.provider ?? '')}${
          unlinking?.email ? ` (${unlinking.email})` : ''
        }. You can link it again later.`}
      </ConfirmDialog>
    </Stack>
  );
}
