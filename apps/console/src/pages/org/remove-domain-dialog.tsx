import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';

/** Confirms removing a domain: a verified one stops routing its e-mails to the organization's single sign-on. */
export function RemoveDomainDialog(props: {
  domain: Schemas['DomainView'];
  opened: boolean;
  onClose: () => void;
}) {
  const { domain } = props;
  const invalidate = useInvalidate();
  const remove = $api.useMutation('delete', '/v1/orgs/{orgId}/domains/{domainId}', {
    onSuccess: async () => {
      props.onClose();
      await invalidate('/v1/orgs/{orgId}/domains');
    },
  });

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={`Remove ${domain.domain}?`}>
      <Stack>
        <Text size="sm">
          {domain.status === 'verified'
            ? `E-mails at ${domain.domain} will no longer belong to this organization, and its single sign-on will not be enforced for them. Another organization may then verify it.`
            : 'The claim is withdrawn; you can add the domain again later.'}
        </Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate({ params: { path: { orgId: domain.organizationId, domainId: domain.id } } })
            }
          >
            Remove domain
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
