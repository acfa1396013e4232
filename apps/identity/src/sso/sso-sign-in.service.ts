import { Inject, Injectable } from '@nestjs/common';
import {
  ClientInfo,
  ROLES,
  Role,
  RpcClient,
  SsoCompleteReply,
  SsoPurpose,
  SsoSignedIn,
} from '@tessera/contracts';
import { ServiceConfig } from '@tessera/config';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG, Keyring, LOGGER, Logger } from '@tessera/runtime';
import { DataSource } from 'typeorm';
import { DomainsService } from '../domains/domains.service';
import { IdentityErrors, SsoFailedError, SsoFailureReason } from '../identity.errors';
import { SamlSignInService } from '../saml/saml-sign-in.service';
import { SessionsService } from '../sessions/sessions.service';
import { SignInPolicy } from '../signin/sign-in-policy';
import { LinkNeedsConfirmation, UsersService } from '../users/users.service';
import { PendingLink, openPendingLink, sealPendingLink } from './link-confirmation';
import { SsoConnection } from './sso-connection.entity';
import { SsoConnectionsService } from './sso-connections.service';

export interface Placement {
  teamId: string;
  role: Role;
}

/**
 * Signing in through an organization's SAML connection, end to end: the redirect to the IdP, then — for what the
 * IdP posts back — the user (created just in time), their teams and roles (from their groups, or the default
 * team), and a session. A "test connection" round trip stops after validation and reports what arrived. Every
 * outcome is an event: `sso.succeeded`, or `sso.failed` with the reason.
 */
@Injectable()
export class SsoSignInService {
  private readonly keyring: Keyring;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: SsoConnectionsService,
    private readonly saml: SamlSignInService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly outbox: OutboxWriter,
    private readonly domains: DomainsService,
    private readonly rpc: RpcClient,
    private readonly policy: SignInPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
  }

  /**
   * Sign-in goes only through a usable connection (enabled, its organization owning a verified domain); a "test
   * connection" round trip, which the gateway starts for an Org Admin only, through any of the organization's.
   */
  async start(
    connectionId: string,
    returnTo: string,
    purpose: SsoPurpose,
  ): Promise<{ redirectUrl: string; binding: string }> {
    const connection =
      purpose === 'test'
        ? await this.connections.byId(connectionId)
        : await this.connections.usable(connectionId);
    const { redirectUrl, binding } = await this.saml.startLogin(this.connections.samlConnection(connection), {
      purpose: purpose === 'test' ? 'test' : 'signin',
      returnTo,
    });
    return { redirectUrl, binding };
  }

  async metadata(connectionId: string): Promise<{ xml: string }> {
    const connection = await this.connections.byId(connectionId);
    return { xml: this.saml.spMetadata(this.connections.samlConnection(connection)) };
  }

  /**
   * What the IdP posted: a test report, or a sign-in. A sign-in needs a usable connection and an e-mail in one of
   * the connection's organization's verified domains — a connection vouches for no other address, so an IdP
   * anyone can set up cannot sign in as `cfo@victim.example` (`email_domain_not_verified`, decision 013).
   */
  async complete(
    connectionId: string,
    samlResponse: string,
    client: ClientInfo,
    binding?: string,
  ): Promise<SsoCompleteReply> {
    const connection = await this.connections.byId(connectionId);
    const verified = await this.failureRecorded(connection, () =>
      this.saml.verify(this.connections.samlConnection(connection), samlResponse, binding),
    );
    const { profile, request } = verified;
    const placements = placementsFor(connection, profile.groups);
    if (request.purpose === 'test') {
      const { assertionId: _, ...received } = profile;
      await this.connections.recordTest(connectionId, {
        testedAt: new Date().toISOString(),
        profile: received,
        placements,
      });
      return {
        purpose: 'test',
        connectionId,
        profile: received,
        teams: placements.map(({ teamId, role }) => `${teamId}:${role}`),
      };
    }
    if (!(await this.connections.signsIn(connection))) throw IdentityErrors.notFound('The SSO connection');
    const { organizationId: domainOwner } = await this.domains.organizationForEmail(profile.email);
    if (domainOwner !== connection.organizationId)
      throw await this.refused(connection, 'email_domain_not_verified');
    if (placements.length === 0) {
      await this.recordFailure(connection, 'not_provisioned');
      throw IdentityErrors.notProvisioned();
    }
    const sso: Omit<PendingLink, 'userId'> = {
      connectionId: connection.id,
      subject: profile.nameId,
      email: profile.email,
      name: profile.name ?? null,
      placements,
      returnTo: request.returnTo,
    };
    try {
      const signedIn = await this.signIn(connection, sso, client);
      // Unbound to any browser: the gateway asks before a signed-out browser takes it (login CSRF, decision 013).
      return profile.inResponseTo === undefined
        ? { ...signedIn, idpInitiated: { connectionName: connection.name } }
        : signedIn;
    } catch (error) {
      if (!(error instanceof LinkNeedsConfirmation)) throw error;
      return {
        purpose: 'confirm_link',
        linkToken: sealPendingLink(this.keyring, { ...sso, userId: error.userId }),
        email: profile.email,
        providers: error.providers,
        returnTo: request.returnTo,
      };
    }
  }

  /**
   * The person agreed to link their SSO identity to the existing user with their e-mail (`confirm_link`): the sign-in
   * goes on, linking to exactly the user they were shown. The connection and the domain are checked again — either
   * may have changed meanwhile. An expired or foreign token is `invalid_state`.
   */
  async confirmLink(linkToken: string, client: ClientInfo): Promise<SsoSignedIn> {
    const pending = openPendingLink(this.keyring, linkToken);
    if (!pending) throw IdentityErrors.invalidState();
    const connection = await this.connections.usable(pending.connectionId);
    const { organizationId: domainOwner } = await this.domains.organizationForEmail(pending.email);
    if (domainOwner !== connection.organizationId)
      throw await this.refused(connection, 'email_domain_not_verified');
    try {
      return await this.signIn(connection, pending, client, pending.userId);
    } catch (error) {
      // The e-mail came to belong to someone else than the person was shown: they start again.
      if (error instanceof LinkNeedsConfirmation) throw IdentityErrors.invalidState();
      throw error;
    }
  }

  /** The SSO sign-in URL for an e-mail whose verified domain belongs to an organization with a connection. */
  async discover(email: string): Promise<{ loginUrl: string | null }> {
    const { organizationId } = await this.domains.organizationForEmail(email);
    const connection = organizationId ? await this.connections.forOrganization(organizationId) : null;
    return { loginUrl: connection ? this.connections.serviceProvider(connection.id).loginUrl : null };
  }

  /** Throws `LinkNeedsConfirmation` when the e-mail is an existing user's other than `confirmedUserId`. */
  private async signIn(
    connection: SsoConnection,
    { subject, email, name, placements, returnTo }: Omit<PendingLink, 'userId'>,
    client: ClientInfo,
    confirmedUserId?: string,
  ): Promise<SsoSignedIn> {
    const started = new Date();
    const organizationProviders = new Set(
      (await this.connections.list(connection.organizationId)).map(({ id }) => `saml:${id}`),
    );
    const user = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.signInAs(
        manager,
        `saml:${connection.id}`,
        { subject, email, emailVerified: true, name },
        { organizationProviders, confirmedUserId },
      );
      await this.policy.assertAllowed(manager, {
        method: 'saml',
        email,
        userId: user.id,
        viaOrganizationId: connection.organizationId,
      });
      return user;
    });
    await this.rpc.request('tessera.teams.account.ensure-personal', {
      userId: user.id,
      name: user.name ?? user.email,
    });
    // Every sign-in brings the memberships in line with the groups the IdP sends now.
    await this.rpc.request('tessera.teams.member.provision', {
      organizationId: connection.organizationId,
      userId: user.id,
      placements,
    });
    return this.dataSource.transaction(async (manager) => {
      const { refreshToken } = await this.sessions.open(manager, user.id, client);
      await this.outbox.add(manager, 'tessera.events.identity.sso.succeeded', {
        organizationId: connection.organizationId,
        connectionId: connection.id,
        userId: user.id,
        created: user.createdAt >= started,
      });
      return { purpose: 'signin' as const, userId: user.id, refreshToken, returnTo };
    });
  }

  private async failureRecorded<T>(connection: SsoConnection, verify: () => Promise<T>): Promise<T> {
    try {
      return await verify();
    } catch (error) {
      if (error instanceof SsoFailedError) await this.recordFailure(connection, error.reason);
      throw error;
    }
  }

  /** A refusal after the response validated: logged and recorded like the SAML layer's own refusals. */
  private async refused(connection: SsoConnection, reason: SsoFailureReason): Promise<SsoFailedError> {
    this.logger.warn({ connectionId: connection.id, reason }, 'SAML sign-in refused');
    await this.recordFailure(connection, reason);
    return IdentityErrors.ssoFailed(reason);
  }

  private async recordFailure(connection: SsoConnection, reason: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.outbox.add(manager, 'tessera.events.identity.sso.failed', {
        organizationId: connection.organizationId,
        connectionId: connection.id,
        reason,
      }),
    );
  }
}

/**
 * The teams a person belongs to by their groups: each mapped group gives its team and role (the strongest role
 * when several groups map to one team); with no mapped group, the connection's default team and role, if any.
 */
export function placementsFor(connection: SsoConnection, groups: string[]): Placement[] {
  const byTeam = new Map<string, Role>();
  for (const mapping of connection.groupMappings) {
    if (!groups.includes(mapping.group)) continue;
    const held = byTeam.get(mapping.teamId);
    if (!held || ROLES.indexOf(mapping.role) < ROLES.indexOf(held)) byTeam.set(mapping.teamId, mapping.role);
  }
  if (byTeam.size === 0 && connection.defaultTeamId && connection.defaultRole)
    byTeam.set(connection.defaultTeamId, connection.defaultRole);
  return [...byTeam].map(([teamId, role]) => ({ teamId, role }));
}
