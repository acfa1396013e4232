import { GroupMapping, Role, SamlAttributeMapping, SsoTestResult } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sso_connections' })
export class SsoConnection {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text')
  name!: string;

  @Column('boolean')
  enabled!: boolean;

  @Column('text', { name: 'idp_entity_id' })
  idpEntityId!: string;

  @Column('text', { name: 'idp_sso_url' })
  idpSsoUrl!: string;

  @Column('jsonb', { name: 'idp_certificates' })
  idpCertificates!: string[];

  @Column('boolean', { name: 'allow_idp_initiated' })
  allowIdpInitiated!: boolean;

  @Column('integer', { name: 'clock_skew_seconds' })
  clockSkewSeconds!: number;

  @Column('jsonb', { name: 'attribute_mapping' })
  attributeMapping!: SamlAttributeMapping;

  @Column('jsonb', { name: 'group_mappings' })
  groupMappings!: GroupMapping[];

  @Column('uuid', { name: 'default_team_id', nullable: true })
  defaultTeamId!: string | null;

  @Column('text', { name: 'default_role', nullable: true })
  defaultRole!: Role | null;

  /** The last successful "test connection" round trip: read back by the Org Admins, replaced by the next. */
  @Column('jsonb', { name: 'last_test', nullable: true })
  lastTest!: SsoTestResult | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
