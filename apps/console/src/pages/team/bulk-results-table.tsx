import { Text } from '@mantine/core';
import type { Schemas } from '../../api/client';
import { type Column, PaginatedTable } from '../../components/paginated-table';

type BulkReply = Schemas['BulkInviteReply'];
type Row = BulkReply['results'][number];
type Refusal = Exclude<Row['result'], 'invited' | 'role_updated'>;

/** The rows that e-mail a link: a first invitation, or a pending one's fresh link with its new role. */
export const sendsLink = (result: Row['result']): result is Exclude<Row['result'], Refusal> =>
  result === 'invited' || result === 'role_updated';

/** Why a row is refused, in words a person fixing their file understands. */
const REFUSALS: Record<Refusal, string> = {
  invalid_email: 'Not an e-mail address',
  invalid_role: 'Not a role: use admin, developer or billing',
  duplicate_in_batch: 'Already listed on an earlier row',
  already_member: 'Already a member',
  already_invited: 'Already invited',
  domain_not_allowed: "The team's policy does not allow this e-mail domain",
};

const rowKey = (row: Row) => String(row.line);

/** Refused rows first (in file order), so the ones to fix are seen without scrolling through the rest. */
function refusedFirst(rows: readonly Row[]): Row[] {
  const refused = (row: Row) => (sendsLink(row.result) ? 1 : 0);
  return [...rows].sort((a, b) => refused(a) - refused(b) || a.line - b.line);
}

/** Every row of a bulk invitation with what happened to it (or would, in the preview). */
export function BulkResultsTable(props: { reply: BulkReply }) {
  const done = props.reply.dryRun
    ? { invited: 'Will be invited', role_updated: 'Will get the new role and a fresh link' }
    : { invited: 'Invited', role_updated: 'Role updated, fresh link sent' };
  const columns: Column<Row>[] = [
    { header: 'Line', cell: (row) => row.line },
    { header: 'E-mail', cell: (row) => row.email },
    { header: 'Role', cell: (row) => row.role },
    {
      header: 'Result',
      cell: (row) =>
        sendsLink(row.result) ? (
          <Text size="sm">✓ {done[row.result]}</Text>
        ) : (
          <Text size="sm" c="red.9" fw={600}>
            Refused: {REFUSALS[row.result]}
          </Text>
        ),
    },
  ];
  return (
    <PaginatedTable
      caption={props.reply.dryRun ? 'Rows checked' : 'Rows sent'}
      rows={refusedFirst(props.reply.results)}
      columns={columns}
      rowKey={rowKey}
    />
  );
}
