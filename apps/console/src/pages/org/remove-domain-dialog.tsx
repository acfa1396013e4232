import { $api, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
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
    <ConfirmDialog
      opened={props.opened}
      onClose={props.onClose}
      title={`Remove ${domain.domain}?`}
      confirmLabel="Remove domain"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() =>
        remove.mutate({ params: { path: { orgId: domain.organizationId, domainId: domain.id } } })
      }
    >
      {domain.status === 'verified'
        ? `E-mails at ${domain.domain} will no longer belong to this organization, and its single sign-on will not be enforced for them. Another organization may then verify it.`
        : 'The claim is withdrawn; you can add the domain again later.'}
    </ConfirmDialog>
  );
}
