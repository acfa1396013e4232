import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { refusalOf } from '../../api/errors';
import { CopyValue } from '../../components/copy-value';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';
import { RemoveDomainDialog } from './remove-domain-dialog';
import { dateTime } from '../../format';

type Domain = Schemas['DomainView'];

/** One domain: its status, the TXT record that proves it, and (`manage`) Verify and Remove. */
export function DomainCard(props: { domain: Domain; manage: boolean }) {
  const { domain } = props;
  const [removing, setRemoving] = useState(false);
  const invalidate = useInvalidate();
  const verify = $api.useMutation('post', '/v1/orgs/{orgId}/domains/{domainId}/verify', {
    onSuccess: () => invalidate('/v1/orgs/{orgId}/domains'),
  });
  const headingId = `domain-${domain.id}`;
  const verified = domain.status === 'verified';

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm">
            <Title order={2} size="h4" id={headingId}>
              {domain.domain}
            </Title>
            <Badge color={verified ? 'teal.9' : 'gray.7'}>{verified ? 'Verified' : 'Pending'}</Badge>
          </Group>
          {props.manage && (
            <Group gap="xs">
              {!verified && (
                <Button
                  onClick={() =>
                    verify.mutate({ params: { path: { orgId: domain.organizationId, domainId: domain.id } } })
                  }
                  loading={verify.isPending}
                  aria-label={`Verify ${domain.domain}`}
                >
                  Verify
                </Button>
              )}
              <Button
                variant="default"
                color="red"
                onClick={() => setRemoving(true)}
                aria-label={`Remove ${domain.domain}`}
              >
                Remove
              </Button>
            </Group>
          )}
        </Group>
        {verified ? (
          <Text size="sm" role="status">
            Verified{domain.verifiedAt && ` on ${dateTime(domain.verifiedAt)}`}. Keep the record published:
            Tessera looks it up again regularly.
          </Text>
        ) : (
          <>
            <Text size="sm">
              Publish this {domain.txtRecord.type} record in your domain's DNS, then press Verify. DNS changes
              can take a few minutes to be seen.
            </Text>
            <CopyValue label="Record name" value={domain.txtRecord.name} />
            <CopyValue label="Record value" value={domain.txtRecord.value} />
            <ErrorAlert
              error={verify.error}
              title={refusalOf(verify.error)?.code === 'domain_not_verified' ? 'Not verified yet' : undefined}
            />
          </>
        )}
      </Stack>
      {props.manage && (
        <RemoveDomainDialog domain={domain} opened={removing} onClose={() => setRemoving(false)} />
      )}
    </Paper>
  );
}
