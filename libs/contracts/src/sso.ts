import { ClientInfo } from './identity';
import { SamlAttributeMapping, SsoProfile } from './saml';
import { Role } from './teams';

/** Payloads of identity's SSO subjects: an organization's SAML connections, and signing in through them. */

/** People in `group` (as the IdP sends it) get `role` in `teamId`, one of the organization's teams. */
export interface GroupMapping {
  group: string;
  teamId: string;
  role: Role;
}

/**
 * What an IT admin sets up. The IdP comes from its metadata XML, or from its entity id, SSO URL and signing
 * certificate(s) entered by hand (two certificates at once while the IdP rotates its key).
 */
export interface SsoConnectionInput {
  name?: string;
  metadataXml?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificates?: string[];
  allowIdpInitiated?: boolean;
  clockSkewSeconds?: number;
  attributeMapping?: SamlAttributeMapping;
  groupMappings?: GroupMapping[];
  /** Where people no group mapping places go, and with which role; none: such people are not admitted. */
  defaultTeamId?: string | null;
  defaultRole?: Role | null;
  enabled?: boolean;
}

export interface CertificateView {
  subject: string;
  fingerprintSha256: string;
  validTo: string;
}

export interface SsoConnectionView {
  id: string;
  organizationId: string;
  name: string;
  enabled: boolean;
  /** What the IdP's admin copies into the IdP. */
  serviceProvider: { entityId: string; acsUrl: string; metadataUrl: string; loginUrl: string };
  identityProvider: { entityId: string; ssoUrl: string; certificates: CertificateView[] };
  allowIdpInitiated: boolean;
  clockSkewSeconds: number;
  attributeMapping: SamlAttributeMapping;
  groupMappings: GroupMapping[];
  defaultTeamId: string | null;
  defaultRole: Role | null;
  createdAt: string;
  updatedAt: string;
}

export interface SsoConnectionCommand {
  organizationId: string;
  actorUserId: string;
}

export type SsoPurpose = 'signin' | 'test';

/** A finished SSO round trip: a signed-in person, or (test connection) what the IdP sent, with no one signed in. */
export type SsoCompleteReply =
  | SsoSignedIn
  /**
   * The e-mail belongs to an existing user (of GitHub or Google) that this SSO identity is not linked to yet: the
   * person is asked first. `linkToken` (sealed, ten minutes) carries the sign-in to `sso.link.confirm`.
   */
  | { purpose: 'confirm_link'; linkToken: string; email: string; providers: string[]; returnTo: string }
  | { purpose: 'test'; connectionId: string; profile: Omit<SsoProfile, 'assertionId'>; teams: string[] };

export interface SsoSignedIn {
  purpose: 'signin';
  userId: string;
  refreshToken: string;
  returnTo: string;
  /**
   * Only for an IdP-initiated answer (no request of this browser's): it could have been posted into the browser by
   * another site, so the gateway asks the person before a signed-out browser takes it (decision 013).
   */
  idpInitiated?: { connectionName: string };
}

export interface SsoEvents {
  'tessera.events.identity.sso_connection.created': SsoConnectionEvent;
  'tessera.events.identity.sso_connection.updated': SsoConnectionEvent;
  'tessera.events.identity.sso_connection.deleted': SsoConnectionEvent;
  'tessera.events.identity.sso.succeeded': {
    organizationId: string;
    connectionId: string;
    userId: string;
    created: boolean;
  };
  /** `reason`: a stable word (`signature_invalid`, `replayed`, `not_provisioned` …); nothing of the response. */
  'tessera.events.identity.sso.failed': { organizationId: string; connectionId: string; reason: string };
}

interface SsoConnectionEvent {
  organizationId: string;
  connectionId: string;
  actorUserId: string;
}

export interface SsoRpc {
  'tessera.identity.sso.connection.create': [
    SsoConnectionCommand & { input: SsoConnectionInput },
    SsoConnectionView,
  ];
  'tessera.identity.sso.connection.update': [
    SsoConnectionCommand & { connectionId: string; input: SsoConnectionInput },
    SsoConnectionView,
  ];
  'tessera.identity.sso.connection.delete': [
    SsoConnectionCommand & { connectionId: string },
    { deleted: true },
  ];
  'tessera.identity.sso.connection.list': [{ organizationId: string }, SsoConnectionView[]];
  'tessera.identity.sso.metadata': [{ connectionId: string }, { xml: string }];
  'tessera.identity.sso.start': [
    { connectionId: string; returnTo: string; purpose: SsoPurpose },
    /** `binding`: what the browser keeps in its SAML request cookie, for the ACS to send back (decision 013). */
    { redirectUrl: string; binding: string },
  ];
  'tessera.identity.sso.complete': [
    { connectionId: string; samlResponse: string; client: ClientInfo; binding?: string },
    SsoCompleteReply,
  ];
  /** The person agreed to link their SSO identity to the existing user with their e-mail: link, and sign in. */
  'tessera.identity.sso.link.confirm': [{ linkToken: string; client: ClientInfo }, SsoSignedIn];
  /** The SSO sign-in URL for an e-mail whose verified domain belongs to an organization with SSO. */
  'tessera.identity.sso.discover': [{ email: string }, { loginUrl: string | null }];
}

/** Subjects described by schemas (request and reply); the interface above lists those still to move here. */
export const SSO_RPC = {};
