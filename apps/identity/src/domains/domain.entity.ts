import { DomainStatus } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A domain an organization claimed, and whether it proved (by DNS) that it controls it. */
@Entity({ name: 'domains' })
export class Domain {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text')
  domain!: string;

  @Column('text', { name: 'verification_token' })
  verificationToken!: string;

  @Column('text', { default: 'pending' })
  status!: DomainStatus;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'verified_at', nullable: true })
  verifiedAt!: Date | null;
}
