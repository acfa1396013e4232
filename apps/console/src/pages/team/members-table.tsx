import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { ROLE_LABELS } from '../../hooks/accounts';
import { MemberRoleSelect } from './member-role-select';
import { displayName } from './team-words';
import { RemoveMemberDialog } from './remove-member-dialog';
import { dateTime } from '../../format';

type Member = Schemas['MemberView'];

const searchText = (member: Member) => `${member.name ?? ''} ${member.email ?? ''}`;
const rowKey = (member: Member) => member.userId;

/** The team's members, searchable by name or e-mail; an Admin changes roles and removes people in place. */
export function MembersTable(props: {
  teamId: string;
  members: readonly Member[];
  canManage: boolean;
  myUserId: string | undefined;
}) {
  const [removing, setRemoving] = useState<Member>();
  const { teamId, canManage, myUserId } = props;

  const columns: Column<Member>[] = [
    { header: 'Name', cell: (member) => <Text fw={500}>{displayName(member)}</Text> },
    { header: 'E-mail', cell: (member) => member.email ?? '—' },
    {
      header: 'Role',
      cell: (member) =>
        canManage ? (
          <MemberRoleSelect teamId={teamId} member={member} label={`Role of ${displayName(member)}`} />
        ) : (
          ROLE_LABELS[member.role]
        ),
    },
    { header: 'Joined', cell: (member) => dateTime(member.joinedAt) },
  ];
  if (canManage)
    columns.push({
      header: 'Actions',
      // Leaving is on the Settings page: here an Admin acts on others.
      cell: (member) =>
        member.userId === myUserId ? (
          <Text size="sm" c="dimmed">
            You
          </Text>
        ) : (
          <Button
            size="xs"
            variant="light"
            color="red"
            aria-label={`Remove ${displayName(member)}`}
            onClick={() => setRemoving(member)}
          >
            Remove
          </Button>
        ),
    });

  return (
    <>
      <PaginatedTable
        caption="Members"
        rows={props.members}
        columns={columns}
        rowKey={rowKey}
        searchText={searchText}
      />
      <RemoveMemberDialog teamId={teamId} member={removing} onClose={() => setRemoving(undefined)} />
    </>
  );
}
