import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { $api, type Schemas } from '../../api/client';
import { refusalOf } from '../../api/errors';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { OrgPage, useOrgId } from '../../components/org-page';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { QueryState } from '../../components/query-state';
import { useMe } from '../../hooks/accounts';
import { useInvalidate } from '../../hooks/invalidate';
import { AddOrgAdminDialog } from './add-org-admin-dialog';
import { date } from '../../format';

type OrgAdmin = Schemas['MemberView'];

/** The API's `last_admin` message speaks of a team's Admins; here it is about the organization's. */
const LAST_ORG_ADMIN = new Error(
  'An organization always keeps at least one Org Admin: add another one first.',
);

const nameOf = (admin: OrgAdmin) => admin.name ?? admin.email ?? 'this person';

export function Component() {
  const [adding, add] = useDisclosure();
  return (
    <OrgPage
      title="Org Admins"
      description={(organization) =>
        `They manage ${organization.name} and act as Admin in every team of it. There is always at least one.`
      }
      actions={(_, access) => access.can('org.manage') && <Button onClick={add.open}>Add Org Admin</Button>}
    >
      {(_, access) => <OrgAdmins manage={access.can('org.manage')} adding={adding} onAdded={add.close} />}
    </OrgPage>
  );
}

function OrgAdmins(props: { manage: boolean; adding: boolean; onAdded: () => void }) {
  const orgId = useOrgId();
  const admins = $api.useQuery('get', '/v1/orgs/{orgId}/admins', { params: { path: { orgId } } });
  const adminIds = useMemo(() => new Set((admins.data ?? []).map((admin) => admin.userId)), [admins.data]);
  const columns: Column<OrgAdmin>[] = [
    { header: 'Name', cell: (admin) => admin.name ?? '—' },
    { header: 'E-mail', cell: (admin) => admin.email ?? '—' },
    { header: 'Since', cell: (admin) => date(admin.joinedAt) },
  ];
  if (props.manage)
    columns.push({ header: 'Actions', cell: (admin) => <RemoveOrgAdmin orgId={orgId} admin={admin} /> });
  return (
    <>
      <QueryState query={admins} label="Org Admins" empty="No Org Admin.">
        {(rows) => (
          <PaginatedTable
            caption="Org Admins"
            rows={rows}
            columns={columns}
            rowKey={(admin) => admin.userId}
            searchText={(admin) => `${admin.name ?? ''} ${admin.email ?? ''}`}
          />
        )}
      </QueryState>
      {props.manage && (
        <AddOrgAdminDialog orgId={orgId} adminIds={adminIds} opened={props.adding} onClose={props.onAdded} />
      )}
    </>
  );
}

/** Remove (or, for oneself, step down) after a confirmation; the last Org Admin's refusal shows in the dialog. */
function RemoveOrgAdmin(props: { orgId: string; admin: OrgAdmin }) {
  const [confirming, { open, close }] = useDisclosure();
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const self = useMe().data?.id === props.admin.userId;
  const remove = $api.useMutation('delete', '/v1/orgs/{orgId}/admins/{userId}', {
    onSuccess: async () => {
      close();
      // Stepping down ends one's own access to the organization's pages at once.
      if (self) {
        await invalidate('/v1/me/accounts');
        navigate('/');
      } else await invalidate('/v1/orgs/{orgId}/admins');
    },
  });
  const cancel = () => {
    remove.reset();
    close();
  };
  const name = nameOf(props.admin);
  const label = self ? 'Step down' : 'Remove';
  return (
    <>
      <Button
        size="xs"
        variant="default"
        color="red"
        onClick={open}
        aria-label={self ? 'Step down as Org Admin' : `Remove ${name} as Org Admin`}
      >
        {label}
      </Button>
      <ConfirmDialog
        opened={confirming}
        onClose={cancel}
        title={self ? 'Step down as Org Admin' : `Remove ${name}`}
        confirmLabel={label}
        pending={remove.isPending}
        error={refusalOf(remove.error)?.code === 'last_admin' ? LAST_ORG_ADMIN : remove.error}
        onConfirm={() =>
          remove.mutate({ params: { path: { orgId: props.orgId, userId: props.admin.userId } } })
        }
      >
        {self
          ? 'You lose access to the organization and the Admin rights it gave you in its teams at once.'
          : `${name} loses access to the organization and the Admin rights it gave them in its teams at once. They stay in the teams they are members of.`}
      </ConfirmDialog>
    </>
  );
}
