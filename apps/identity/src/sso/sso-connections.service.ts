import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  ErrorDetail,
  IdpSettings,
  IdpSettingsSchema,
  OrgCommand,
  RpcClient,
  SamlConnection,
  SsoConnectionInput,
  SsoConnectionView,
  SsoTestResult,
  ValidationFailedError,
  parseOrThrow,
  toPem,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG } from '@tessera/runtime';
import { X509Certificate } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DomainsService } from '../domains/domains.service';
import { IdentityErrors } from '../identity.errors';
import { parseIdpMetadata } from './idp-metadata';
import { SsoConnection } from './sso-connection.entity';

const DEFAULT_CLOCK_SKEW_SECONDS = 60;
const NOT_A_TEAM = 'Must be the id of a team of this organization.';

type Settings = Omit<SsoConnection, 'id' | 'organizationId' | 'createdAt' | 'updatedAt' | 'lastTest'>;

/**
 * Organizations' SAML connections, as their Org Admins set them up: the IdP from its metadata or entered by
 * hand, and where the people it signs in go. Everything is checked before it is stored — the input's schema
 * checks each field (certificates parse, URLs are https); here, the IdP taken from metadata gets the same rules,
 * and mapped teams must be the organization's — so a sign-in never meets a half-valid connection. The gateway has
 * checked that the actor is an Org Admin.
 */
@Injectable()
export class SsoConnectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly domains: DomainsService,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create({
    organizationId,
    actorUserId,
    input,
  }: OrgCommand & { input: SsoConnectionInput }): Promise<SsoConnectionView> {
    const settings = await this.settings(organizationId, input);
    await this.assertMayEnable(organizationId, settings.enabled);
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const connection = manager.create(SsoConnection, {
        id: uuidv7(),
        organizationId,
        ...settings,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(SsoConnection, connection);
      await this.changed(manager, 'created', connection, actorUserId);
      return this.view(connection);
    });
  }

  async update({
    organizationId,
    actorUserId,
    connectionId,
    input,
  }: OrgCommand & { connectionId: string; input: SsoConnectionInput }): Promise<SsoConnectionView> {
    return this.dataSource.transaction(async (manager) => {
      const connection = await this.find(manager, organizationId, connectionId, true);
      const settings = await this.settings(organizationId, input, connection);
      // Only turning sign-in on is refused: an enabled connection whose domain lapsed may still be edited (it signs
      // nobody in meanwhile, see `usable`).
      if (!connection.enabled) await this.assertMayEnable(organizationId, settings.enabled);
      Object.assign(connection, settings, { updatedAt: new Date() });
      await manager.save(connection);
      await this.changed(manager, 'updated', connection, actorUserId);
      return this.view(connection);
    });
  }

  async delete({
    organizationId,
    actorUserId,
    connectionId,
  }: OrgCommand & { connectionId: string }): Promise<{ deleted: true }> {
    return this.dataSource.transaction(async (manager) => {
      const connection = await this.find(manager, organizationId, connectionId, true);
      await manager.delete(SsoConnection, { id: connection.id });
      await this.changed(manager, 'deleted', connection, actorUserId);
      return { deleted: true as const };
    });
  }

  async list(organizationId: string): Promise<SsoConnectionView[]> {
    const connections = await this.dataSource
      .getRepository(SsoConnection)
      .find({ where: { organizationId }, order: { createdAt: 'ASC' } });
    return connections.map((connection) => this.view(connection));
  }

  /** Keeps a test round trip's result on its connection, in place of the previous one. */
  async recordTest(connectionId: string, result: SsoTestResult): Promise<void> {
    await this.dataSource.getRepository(SsoConnection).update({ id: connectionId }, { lastTest: result });
  }

  /** The organization's connection's last test result; `null` when no test round trip came back yet. */
  async lastTest(organizationId: string, connectionId: string): Promise<SsoTestResult | null> {
    return (await this.find(this.dataSource.manager, organizationId, connectionId)).lastTest;
  }

  /** Any connection by id, enabled or not: its metadata and its "test connection" round trip. */
  async byId(connectionId: string): Promise<SsoConnection> {
    const connection = await this.dataSource.getRepository(SsoConnection).findOneBy({ id: connectionId });
    if (!connection) throw IdentityErrors.notFound('The SSO connection');
    return connection;
  }

  /**
   * A connection people may sign in through (any organization's: the id is in the URL the IdP was given): enabled,
   * and its organization owns a verified domain now — a domain that lapsed or was removed stops sign-in at once,
   * so nobody can point the real sign-in page at an IdP of their choosing (decision 013).
   */
  async usable(connectionId: string): Promise<SsoConnection> {
    const connection = await this.byId(connectionId);
    if (!(await this.signsIn(connection))) throw IdentityErrors.notFound('The SSO connection');
    return connection;
  }

  /** Whether the connection may sign people in now (see `usable`). */
  async signsIn(connection: SsoConnection): Promise<boolean> {
    return connection.enabled && (await this.domains.hasVerifiedDomain(connection.organizationId));
  }

  /** The organization's usable connection, used for sign-in by e-mail domain (the oldest, if several). */
  async forOrganization(organizationId: string): Promise<SsoConnection | null> {
    if (!(await this.domains.hasVerifiedDomain(organizationId))) return null;
    return this.dataSource
      .getRepository(SsoConnection)
      .findOne({ where: { organizationId, enabled: true }, order: { createdAt: 'ASC' } });
  }

  /** The connection as the SAML layer checks responses against it. */
  samlConnection(connection: SsoConnection): SamlConnection {
    const urls = this.serviceProvider(connection.id);
    return {
      id: connection.id,
      spEntityId: urls.entityId,
      acsUrl: urls.acsUrl,
      idpEntityId: connection.idpEntityId,
      idpSsoUrl: connection.idpSsoUrl,
      idpCertificates: connection.idpCertificates,
      allowIdpInitiated: connection.allowIdpInitiated,
      clockSkewSeconds: connection.clockSkewSeconds,
      attributeMapping: connection.attributeMapping,
    };
  }

  /** Tessera's side of a connection: what the IdP's admin copies into the IdP. */
  serviceProvider(connectionId: string): SsoConnectionView['serviceProvider'] {
    const base = `${this.config.publicUrl.replace(/\/$/, '')}/auth/saml/${connectionId}`;
    return {
      entityId: `${base}/metadata`,
      acsUrl: `${base}/acs`,
      metadataUrl: `${base}/metadata`,
      loginUrl: `${base}/login`,
    };
  }

  /**
   * A connection vouches for its people's e-mail addresses in the organization's verified domains only, so it may
   * sign anyone in only once the organization verified one; until then it can be set up and tested, not enabled.
   */
  private async assertMayEnable(organizationId: string, enabled: boolean): Promise<void> {
    if (enabled && !(await this.domains.hasVerifiedDomain(organizationId)))
      throw IdentityErrors.connectionNeedsVerifiedDomain();
  }

  private async find(
    manager: EntityManager,
    organizationId: string,
    connectionId: string,
    lock = false,
  ): Promise<SsoConnection> {
    const connection = await manager.findOne(SsoConnection, {
      where: { id: connectionId, organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!connection) throw IdentityErrors.notFound('The SSO connection');
    return connection;
  }

  /**
   * The input completed from `current` (an update) or defaults (a new connection). Its fields are checked by its
   * schema already; what is left needs the metadata read or the organization's teams. Paths name the fields in
   * the subject's payload.
   */
  private async settings(
    organizationId: string,
    input: SsoConnectionInput,
    current?: Settings,
  ): Promise<Settings> {
    const metadata: Partial<IdpSettings> =
      input.metadataXml === undefined ? {} : parseIdpMetadata(input.metadataXml, 'input.metadataXml');
    const idp = parseOrThrow(
      IdpSettingsSchema,
      {
        idpEntityId: input.idpEntityId ?? metadata.idpEntityId ?? current?.idpEntityId,
        idpSsoUrl: input.idpSsoUrl ?? metadata.idpSsoUrl ?? current?.idpSsoUrl,
        idpCertificates: input.idpCertificates ?? metadata.idpCertificates ?? current?.idpCertificates,
      },
      'input',
    );
    const groupMappings = input.groupMappings ?? current?.groupMappings ?? [];
    const defaultTeamId = given(input.defaultTeamId, current?.defaultTeamId);
    const defaultRole = given(input.defaultRole, current?.defaultRole);
    const teams = new Set(
      (await this.rpc.request('tessera.teams.org.teams', { organizationId })).map((team) => team.id),
    );
    const problems: ErrorDetail[] = groupMappings.flatMap(({ teamId }, index) =>
      teams.has(teamId) ? [] : [{ path: `input.groupMappings[${index}].teamId`, message: NOT_A_TEAM }],
    );
    if (defaultTeamId !== null && !teams.has(defaultTeamId))
      problems.push({ path: 'input.defaultTeamId', message: NOT_A_TEAM });
    if ((defaultTeamId === null) !== (defaultRole === null))
      problems.push({
        path: 'input.defaultRole',
        message: 'Give `defaultTeamId` and `defaultRole` together, or neither.',
      });
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return {
      name: input.name ?? current?.name ?? 'SAML',
      // New connections start enabled only where the organization can already enable them.
      enabled: input.enabled ?? current?.enabled ?? (await this.domains.hasVerifiedDomain(organizationId)),
      idpEntityId: idp.idpEntityId,
      idpSsoUrl: new URL(idp.idpSsoUrl).toString(),
      idpCertificates: idp.idpCertificates.map(toPem),
      allowIdpInitiated: input.allowIdpInitiated ?? current?.allowIdpInitiated ?? false,
      clockSkewSeconds: input.clockSkewSeconds ?? current?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
      attributeMapping: input.attributeMapping ?? current?.attributeMapping ?? {},
      groupMappings,
      defaultTeamId,
      defaultRole,
    };
  }

  private async changed(
    manager: EntityManager,
    change: 'created' | 'updated' | 'deleted',
    connection: SsoConnection,
    actorUserId: string,
  ): Promise<void> {
    await this.outbox.add(manager, `tessera.events.identity.sso_connection.${change}`, {
      organizationId: connection.organizationId,
      connectionId: connection.id,
      actorUserId,
    });
  }

  private view(connection: SsoConnection): SsoConnectionView {
    return {
      id: connection.id,
      organizationId: connection.organizationId,
      name: connection.name,
      enabled: connection.enabled,
      serviceProvider: this.serviceProvider(connection.id),
      identityProvider: {
        entityId: connection.idpEntityId,
        ssoUrl: connection.idpSsoUrl,
        certificates: connection.idpCertificates.map((pem) => {
          const certificate = new X509Certificate(pem);
          return {
            subject: certificate.subject,
            fingerprintSha256: certificate.fingerprint256,
            validTo: new Date(certificate.validTo).toISOString(),
          };
        }),
      },
      allowIdpInitiated: connection.allowIdpInitiated,
      clockSkewSeconds: connection.clockSkewSeconds,
      attributeMapping: connection.attributeMapping,
      groupMappings: connection.groupMappings,
      defaultTeamId: connection.defaultTeamId,
      defaultRole: connection.defaultRole,
      createdAt: connection.createdAt.toISOString(),
      updatedAt: connection.updatedAt.toISOString(),
    };
  }
}

/** A nullable setting: the input's value when given (`null` clears it), else the stored one, else none. */
function given<T>(input: T | null | undefined, stored: T | null | undefined): T | null {
  return input !== undefined ? input : (stored ?? null);
}
