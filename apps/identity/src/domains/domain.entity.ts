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

  /** When the TXT record was last looked up for a verified domain (its verification or a re-check). */
  @Column('timestamptz', { name: 'checked_at', nullable: true })
  checkedAt!: Date | null;

  /** Re-checks in a row that did not find the record; the domain lapses at `TESSERA_DOMAIN_LAPSE_AFTER_FAILURES`. */
  @Column('integer', { name: 'failed_checks', default: 0 })
  failedChecks!: number;
}
