import { ApiPropertyOptional } from '@nestjs/swagger';
import { GroupMapping, Role, SamlAttributeMapping } from '@tessera/contracts';

/** A SAML connection as an Org Admin sets it up; on update, fields left out keep their value. */
export class SsoConnectionBody {
  @ApiPropertyOptional({ example: 'Okta', maxLength: 64 })
  name?: string;

  @ApiPropertyOptional({
    description:
      "The IdP's metadata XML (Okta, Entra ID and Google Workspace offer it for download). Sets the three fields below.",
  })
  metadataXml?: string;

  @ApiPropertyOptional({
    example: 'http://www.okta.com/exk1abcd',
    description: "The IdP's entity id (Issuer).",
  })
  idpEntityId?: string;

  @ApiPropertyOptional({ example: 'https://acme.okta.com/app/acme_tessera/exk1abcd/sso/saml' })
  idpSsoUrl?: string;

  @ApiPropertyOptional({
    type: [String],
    description: "The IdP's signing certificate (PEM or base64); two at once while the IdP rotates its key.",
  })
  idpCertificates?: string[];

  @ApiPropertyOptional({ default: false, description: 'Accept sign-ins started from the IdP dashboard.' })
  allowIdpInitiated?: boolean;

  @ApiPropertyOptional({ default: 60, minimum: 0, maximum: 300 })
  clockSkewSeconds?: number;

  @ApiPropertyOptional({
    example: { groups: 'memberOf' },
    description: 'Attribute names to read instead of the Okta / Entra ID / Google Workspace defaults.',
  })
  attributeMapping?: SamlAttributeMapping;

  @ApiPropertyOptional({ example: [{ group: 'ml-engineers', teamId: '…', role: 'developer' }] })
  groupMappings?: GroupMapping[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Where people no group places go.' })
  defaultTeamId?: string | null;

  @ApiPropertyOptional({ enum: ['admin', 'developer', 'billing'], nullable: true })
  defaultRole?: Role | null;

  @ApiPropertyOptional({ default: true })
  enabled?: boolean;
}
