import { TransferSide, TransferStatus } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A request to move a standalone team into an organization, asked by one side and decided by the other. */
@Entity({ name: 'transfers' })
export class Transfer {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'team_id' })
  teamId!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text', { name: 'requested_by' })
  requestedBy!: TransferSide;

  @Column('uuid', { name: 'requested_by_user_id' })
  requestedByUserId!: string;

  @Column('text')
  status!: TransferStatus;

  /** Distinct Admins of the team who approved; a team with two or more Admins needs two. */
  @Column('uuid', { name: 'team_approver_ids', array: true, default: () => "'{}'" })
  teamApproverIds!: string[];

  /** Two when the team had several Admins when the move was requested; never lowered afterwards. */
  @Column('smallint', { name: 'team_approvals_needed', default: 1 })
  teamApprovalsNeeded!: number;

  @Column('uuid', { name: 'organization_approver_id', nullable: true })
  organizationApproverId!: string | null;

  @Column('uuid', { name: 'decided_by_user_id', nullable: true })
  decidedByUserId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;
}
