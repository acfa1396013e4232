import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  GroupMapping,
  ROLES,
  Role,
  RpcClient,
  SamlAttributeMapping,
  SamlConnection,
  SsoConnectionCommand,
  SsoConnectionInput,
  SsoConnectionView,
  isUuid,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG } from '@tessera/runtime';
import { X509Certificate } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DomainsService } from '../domains/domains.service';
import { IdentityErrors } from '../identity.errors';
import { IdpSettings, parseIdpMetadata, toPem } from './idp-metadata';
import { SsoConnection } from './sso-connection.entity';

const DEFAULT_CLOCK_SKEW_SECONDS = 60;
const MAX_CLOCK_SKEW_SECONDS = 300;
const MAX_GROUP_MAPPINGS = 100;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

type Settings = Omit<SsoConnection, 'id' | 'organizationId' | 'createdAt' | 'updatedAt'>;

/**
 * Organizations' SAML connections, as their Org Admins set them up: the IdP from its metadata or entered by
 * hand, and where the people it signs in go. Everything is checked before it is stored — certificates parse,
 * URLs are https (http only on loopback), mapped teams are the organization's — so a sign-in never meets a
 * half-valid connection. The gateway has checked that the actor is an Org Admin.
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
  }: SsoConnectionCommand & { input: SsoConnectionInput }): Promise<SsoConnectionView> {
    const settings = await this.settings(organizationId, input ?? {});
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
  }: SsoConnectionCommand & { connectionId: string; input: SsoConnectionInput }): Promise<SsoConnectionView> {
    return this.dataSource.transaction(async (manager) => {
      const connection = await this.find(manager, organizationId, connectionId, true);
      const settings = await this.settings(organizationId, input ?? {}, connection);
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
  }: SsoConnectionCommand & { connectionId: string }): Promise<{ deleted: true }> {
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

  /** Any connection by id, enabled or not: its metadata and its "test connection" round trip. */
  async byId(connectionId: string): Promise<SsoConnection> {
    const connection = isUuid(connectionId)
      ? await this.dataSource.getRepository(SsoConnection).findOneBy({ id: connectionId })
      : null;
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
    const connection = isUuid(connectionId)
      ? await manager.findOne(SsoConnection, {
          where: { id: connectionId, organizationId },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!connection) throw IdentityErrors.notFound('The SSO connection');
    return connection;
  }

  /** The input checked and completed from `current` (an update) or defaults (a new connection). */
  private async settings(
    organizationId: string,
    input: SsoConnectionInput,
    current?: Settings,
  ): Promise<Settings> {
    const idp: Partial<IdpSettings> =
      input.metadataXml !== undefined ? parseIdpMetadata(String(input.metadataXml)) : {};
    const teams = new Set(
      (await this.rpc.request('tessera.teams.org.teams', { organizationId })).map((team) => team.id),
    );
    const defaultTeamId = pick(input.defaultTeamId, current?.defaultTeamId, null);
    const defaultRole = pick(input.defaultRole, current?.defaultRole, null);
    if ((defaultTeamId === null) !== (defaultRole === null))
      throw IdentityErrors.invalidConnection('Give `defaultTeamId` and `defaultRole` together, or neither.');
    return {
      name: text('name', pick(input.name, current?.name, 'SAML'), 64),
      // New connections start enabled only where the organization can already enable them.
      enabled: flag(
        'enabled',
        pick(input.enabled, current?.enabled, await this.domains.hasVerifiedDomain(organizationId)),
      ),
      idpEntityId: text('idpEntityId', pick(input.idpEntityId ?? idp.entityId, current?.idpEntityId), 1024),
      idpSsoUrl: ssoUrl(pick(input.idpSsoUrl ?? idp.ssoUrl, current?.idpSsoUrl)),
      idpCertificates: certificates(
        pick(input.idpCertificates ?? idp.certificates, current?.idpCertificates),
      ),
      allowIdpInitiated: flag(
        'allowIdpInitiated',
        pick(input.allowIdpInitiated, current?.allowIdpInitiated, false),
      ),
      clockSkewSeconds: clockSkew(
        pick(input.clockSkewSeconds, current?.clockSkewSeconds, DEFAULT_CLOCK_SKEW_SECONDS),
      ),
      attributeMapping: attributeMapping(pick(input.attributeMapping, current?.attributeMapping, {})),
      groupMappings: groupMappings(pick(input.groupMappings, current?.groupMappings, []), teams),
      defaultTeamId: defaultTeamId === null ? null : team('defaultTeamId', defaultTeamId, teams),
      defaultRole: defaultRole === null ? null : role('defaultRole', defaultRole),
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

/** The input's value when given, else the stored one, else the default. */
function pick<T>(given: T | undefined, stored: T | undefined, fallback?: T): T | undefined {
  return given !== undefined ? given : stored !== undefined ? stored : fallback;
}

const invalid = IdentityErrors.invalidConnection;

function text(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    throw invalid(`\`${name}\` is required: text of at most ${max} characters.`);
  return value.trim();
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(`\`${name}\` must be true or false.`);
  return value;
}

function ssoUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(text('idpSsoUrl', value, 2048));
  } catch {
    throw invalid('`idpSsoUrl` must be the URL of the IdP’s single sign-on service.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    throw invalid('`idpSsoUrl` must be an https:// URL.');
  return url.toString();
}

/** One or two signing certificates (two while the IdP rotates its key), each a parseable X.509 certificate. */
function certificates(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2)
    throw invalid('`idpCertificates` must hold one or two signing certificates (PEM).');
  return value.map((entry) => {
    const pem = toPem(typeof entry === 'string' ? entry : '');
    try {
      new X509Certificate(pem);
    } catch {
      throw invalid('A certificate in `idpCertificates` could not be read (PEM or base64 DER expected).');
    }
    return pem;
  });
}

function clockSkew(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_CLOCK_SKEW_SECONDS)
    throw invalid(`\`clockSkewSeconds\` must be a whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`);
  return value;
}

function attributeMapping(value: unknown): SamlAttributeMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('`attributeMapping` must be an object of attribute names.');
  const mapping: SamlAttributeMapping = {};
  for (const [field, name] of Object.entries(value)) {
    if (field !== 'email' && field !== 'name' && field !== 'groups')
      throw invalid('`attributeMapping` may name `email`, `name` and `groups` attributes only.');
    mapping[field] = text(`attributeMapping.${field}`, name, 256);
  }
  return mapping;
}

function groupMappings(value: unknown, teams: Set<string>): GroupMapping[] {
  if (!Array.isArray(value) || value.length > MAX_GROUP_MAPPINGS)
    throw invalid(
      `\`groupMappings\` must be a list of at most ${MAX_GROUP_MAPPINGS} { group, teamId, role }.`,
    );
  return value.map((entry: Partial<GroupMapping>) => ({
    group: text('groupMappings[].group', entry?.group, 256),
    teamId: team('groupMappings[].teamId', entry?.teamId, teams),
    role: role('groupMappings[].role', entry?.role),
  }));
}

function team(name: string, value: unknown, teams: Set<string>): string {
  if (typeof value !== 'string' || !teams.has(value))
    throw invalid(`\`${name}\` must be the id of a team of this organization.`);
  return value;
}

function role(name: string, value: unknown): Role {
  if (!ROLES.includes(value as Role)) throw invalid(`\`${name}\` must be admin, developer or billing.`);
  return value as Role;
}
